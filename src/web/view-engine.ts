import ejs from 'ejs';

/**
 * Every name a template may read: what page-context puts in `res.locals`, what page handlers pass, and what
 * layouts and partials receive from `include(…, { … })`. Declared up front instead of EJS's default `with (locals)`,
 * whose dynamic scope lookups made each template several times slower (bench/README.md → Website); a name not listed
 * here is a ReferenceError in the template, which the page tests catch.
 */
export const TEMPLATE_LOCALS = [
  // page-context (every page)
  'lang', 'dir', 't', 'fmt', 'icon', 'localPath', 'languages', 'path', 'cspNonce',
  // layout and partials
  'title', 'description', 'styles', 'scripts', 'canonical', 'pageClass', 'errors', 'grid', 'caption', 'cards',
  // pages
  'form', 'view', 'query', 'result', 'page', 'provider', 'map', 'qrCode', 'placeChoices', 'kind', 'staleAfterDays',
  // counselor workspace (src/clients)
  'handout', 'client', 'clients', 'answer', 'notice', 'shareLink', 'courseChoices', 'retention', 'item', 'choices',
  // logins (src/web/page-auth.ts, src/accounts/account.pages.ts) and form fields
  'user', 'userHome', 'csrfToken', 'sessionEnded', 'fieldId',
  'openData',
  // statistics (src/stats/stats.pages.ts)
  'chart',
  // provider workspace (src/workspace/): one form field's settings
  'input',
  // password forms (src/accounts/account.pages.ts, src/admin/admin.pages.ts): the policy's length limits
  'passwordRules',
] as const;

type RenderCallback = (error: Error | null, html?: string) => void;

/** The `ejs` engine for Express: templates compiled once and cached, locals declared (see above). */
export function ejsEngine(viewsDir: string) {
  return (file: string, data: object, callback: RenderCallback) => {
    ejs.renderFile(file, data as ejs.Data, { cache: true, views: [viewsDir], _with: false, destructuredLocals: [...TEMPLATE_LOCALS] }, (error, html) =>
      callback(error ?? null, html),
    );
  };
}
