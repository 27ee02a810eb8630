/**
 * The site's small icon set, decorative (aria-hidden) and drawn with the text colour. The shapes are one SVG sprite
 * (`/assets/icons.svg`, cached by the browser); a page only refers to them with `<%- icon('clock') %>`. A results page
 * shows about 150 icons: drawn inline they were ~35 KB of its ~56 KB of HTML, and the time to write and compress it.
 */
const PATHS = {
  speech: 'M4 4h16v11H8l-4 4z',
  globe: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5',
  child: 'M12 4a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5zM7 12h10M12 9v6M9 21l3-6l3 6',
  women: 'M12 3a5 5 0 1 0 0 10a5 5 0 1 0 0-10zM12 13v8M9 18h6',
  pin: 'M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11zM12 7a3 3 0 1 0 0 6a3 3 0 1 0 0-6z',
  euro: 'M17 6a7 7 0 1 0 0 12M5 10h9M5 14h9',
  seat: 'M6 4v10h10M6 14l-1 6M16 14v6M9 10h8',
  book: 'M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM4 19V5',
  letters: 'M4 18l4-12l4 12M5.5 14h5M15 10h5v8h-5zM15 14h5',
  online: 'M3 5h18v11H3zM8 20h8M12 16v4',
  search: 'M10 3a7 7 0 1 0 0 14a7 7 0 1 0 0-14zM15 15l6 6',
  check: 'M5 12l5 5l9-10',
  map: 'M3 6l6-3l6 3l6-3v15l-6 3l-6-3l-6 3zM9 3v15M15 6v15',
  list: 'M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1',
  print: 'M6 9V3h12v6M6 18H3V9h18v9h-3M6 14h12v7H6z',
  share: 'M18 3a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM6 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM18 15a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM8.6 10.5l6.8-4M8.6 13.5l6.8 4',
  warning: 'M12 3l10 18H2zM12 10v5M12 18v.5',
  arrow: 'M5 12h14M13 6l6 6l-6 6',
  phone: 'M5 3h4l2 5l-3 2a11 11 0 0 0 6 6l2-3l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z',
  mail: 'M3 5h18v14H3zM3 6l9 7l9-7',
  link: 'M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1',
} as const;

export type IconName = keyof typeof PATHS;

export const ICON_SPRITE_PATH = '/assets/icons.svg';

/** The sprite: one `<symbol>` per icon. */
export const ICON_SPRITE = `<svg xmlns="http://www.w3.org/2000/svg">${Object.entries(PATHS)
  .map(([name, d]) => `<symbol id="${name}" viewBox="0 0 24 24"><path d="${d}"/></symbol>`)
  .join('')}</svg>`;

const MARKUP = new Map<string, string>(
  Object.keys(PATHS).map((name) => [
    name,
    `<svg class="icon icon--${name}" aria-hidden="true" focusable="false" width="24" height="24"><use href="${ICON_SPRITE_PATH}#${name}"/></svg>`,
  ]),
);

export function icon(name: IconName): string {
  const markup = MARKUP.get(name);
  if (!markup) throw new Error(`unknown icon ${name}`);
  return markup;
}
