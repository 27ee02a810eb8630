import { DAYS, type Day } from '../courses/course.enums';

/** What one cell turned into: a value for the course body, or a message for the row's report. */
export type CellResult = { ok: true; value: unknown } | { ok: false; message: string };

/** How one kind of cell is read (a non-empty, trimmed cell) and written (a value that is present). */
export type CellCodec = {
  parse(cell: string): CellResult;
  format(value: unknown): string;
};

const ok = (value: unknown): CellResult => ({ ok: true, value });
const fail = (message: string): CellResult => ({ ok: false, message });

export const textCell: CellCodec = {
  parse: (cell) => ok(cell),
  format: (value) => String(value),
};

const TRUE_WORDS = new Set(['ja', 'true', 'yes', 'j', 'y', '1', 'wahr']);
const FALSE_WORDS = new Set(['nein', 'false', 'no', 'n', '0', 'falsch']);

/** `ja/nein` as German spreadsheets write it, `true/false` as programs do. Written as `ja`/`nein`. */
export const booleanCell: CellCodec = {
  parse: (cell) => {
    const word = cell.toLowerCase();
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
    return fail('must be ja/nein or true/false');
  },
  format: (value) => (value ? 'ja' : 'nein'),
};

export const integerCell: CellCodec = {
  parse: (cell) => (/^-?\d{1,9}$/.test(cell) ? ok(Number(cell)) : fail('must be a whole number')),
  format: (value) => String(value),
};

/** A decimal with a comma (German) or a point; no thousands separators. Written with a comma, as the export is `;`-separated. */
export const decimalCell: CellCodec = {
  parse: (cell) => (/^-?\d{1,9}([.,]\d{1,4})?$/.test(cell) ? ok(Number(cell.replace(',', '.'))) : fail('must be a number such as 4,50')),
  format: (value) => String(value).replace('.', ','),
};

/** ISO `2027-01-31` or German `31.01.2027` (also `1.2.2027`); stored and written as ISO. Whether the day exists, the schema checks. */
export const dateCell: CellCodec = {
  parse: (cell) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(cell)) return ok(cell);
    const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(cell);
    if (german) return ok(`${german[3]}-${german[2]?.padStart(2, '0')}-${german[1]?.padStart(2, '0')}`);
    return fail('must be a date such as 31.01.2027 or 2027-01-31');
  },
  format: (value) => String(value),
};

/** One of a fixed list, in any letter case; written as the API writes it. */
export function enumCell(values: readonly string[]): CellCodec {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v]));
  return {
    parse: (cell) => {
      const value = byLower.get(cell.toLowerCase());
      return value === undefined ? fail(`must be one of ${values.join(', ')}`) : ok(value);
    },
    format: (value) => String(value),
  };
}

const GERMAN_DAYS: Record<Day, string> = { mon: 'Mo', tue: 'Di', wed: 'Mi', thu: 'Do', fri: 'Fr', sat: 'Sa', sun: 'So' };
const DAY_NAMES: Record<Day, readonly string[]> = {
  mon: ['mo', 'mon', 'montag', 'monday'],
  tue: ['di', 'tu', 'tue', 'dienstag', 'tuesday'],
  wed: ['mi', 'we', 'wed', 'mittwoch', 'wednesday'],
  thu: ['do', 'th', 'thu', 'donnerstag', 'thursday'],
  fri: ['fr', 'fri', 'freitag', 'friday'],
  sat: ['sa', 'sat', 'samstag', 'saturday'],
  sun: ['so', 'su', 'sun', 'sonntag', 'sunday'],
};
const DAY_BY_NAME = new Map(DAYS.flatMap((day) => DAY_NAMES[day].map((name) => [name, day] as const)));
const FLEXIBLE_WORDS = new Set(['flexibel', 'flexible']);
const SESSION = /^([A-Za-zÄÖÜäöü]+)\.?\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})$/;

function clock(text: string): string {
  const [hours = '', minutes = ''] = text.split(/[:.]/);
  return `${hours.padStart(2, '0')}:${minutes}`;
}

type SessionCell = { day: Day; start: string; end: string };

/**
 * The weekly sessions as people write them: `Di 09:00-12:00 | Do 09:00-12:00` (German or English day
 * abbreviations or names, `|` or a line break between sessions), or `flexibel`/`flexible`.
 * Read into `schedule.sessions` and `schedule.flexible`; whether times are real and end after start, the schema checks.
 */
export const sessionsCell: CellCodec = {
  parse: (cell) => {
    if (FLEXIBLE_WORDS.has(cell.toLowerCase())) return ok({ flexible: true, sessions: [] });
    const sessions: SessionCell[] = [];
    for (const part of cell.split(/\s*[|\n]\s*/).filter((p) => p !== '')) {
      const match = SESSION.exec(part);
      const day = match ? DAY_BY_NAME.get((match[1] ?? '').toLowerCase()) : undefined;
      if (!match || !day) return fail(`"${part}" is not a session such as "Di 09:00-12:00" (or write "flexibel")`);
      sessions.push({ day, start: clock(match[2] ?? ''), end: clock(match[3] ?? '') });
    }
    return ok({ flexible: false, sessions });
  },
  format: (value) => {
    const schedule = value as { flexible?: boolean; sessions?: SessionCell[] };
    if (schedule.flexible) return 'flexibel';
    return (schedule.sessions ?? []).map((s) => `${GERMAN_DAYS[s.day]} ${s.start}-${s.end}`).join(' | ');
  },
};

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Export: such a cell gets a leading `'`, so no spreadsheet runs it. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Import: undoes exactly what the export adds — one `'` before one of those characters. Any other leading `'`
 * was typed by someone and is kept.
 */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
