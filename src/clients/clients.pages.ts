import { Router, type Request, type Response } from 'express';
import type { Actor } from '../accounts/actor';
import type { AppServices } from '../app-services';
import { pickLocalizedWithLanguage } from '../lib/localized-text';
import { AppError } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { requestOrigin } from '../lib/request-origin';
import { LANGUAGE_NAMES } from '../i18n/languages';
import { currentUser } from '../web/page-auth';
import type { PageLocalizer, PageLocals } from '../web/page-context';
import { matchesForClient } from './client-matches';
import { clientFormView, fieldErrors, formValuesFromBody, formValuesFromClient, parseFormValues, type FormErrors, type FormValues } from './client-form';
import { SHORTLIST_MAX, type ClientResponse, type ShortlistItem } from './client.schema';
import { shareUrl } from './clients.routes';
import { renderHandout } from './share.pages';

const NOTICES = ['created', 'saved', 'added', 'revoked', 'deleted', 'noteSaved'] as const;
type Notice = (typeof NOTICES)[number];
const BASE = '/counselor/clients';

/** The logged-in counselor (the area is guarded by PAGE_ACCESS, so there always is one). */
function actorOf(res: Response): Actor {
  const user = currentUser(res);
  if (!user) throw new AppError('unauthorized', 'Please log in.', 401);
  return { userId: user.userId, role: user.role, ...(user.providerId ? { providerId: user.providerId } : {}) };
}

function noticeOf(req: Request): Notice | undefined {
  const done = req.query.done;
  return (NOTICES as readonly unknown[]).includes(done) ? (done as Notice) : undefined;
}

/** A page of this workspace or a course page to go back to; anything else is the client's page. */
function backTo(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(counselor\/clients\/[a-f0-9]{24}(\/matches)?|courses\/[a-f0-9]{24})(\?[\w=&%.-]*)?$/.test(value) ? value : fallback;
}

function withNotice(path: string, notice: Notice): string {
  return `${path}${path.includes('?') ? '&' : '?'}done=${notice}`;
}

/** The shortlist with each course's title in the reader's language; courses no longer public are marked, not hidden. */
async function shortlistView(services: AppServices, client: ClientResponse, lang: string) {
  return Promise.all(
    client.shortlist.map(async (item) => {
      try {
        const course = await services.courses.getVisible(undefined, item.courseId);
        return { ...item, title: pickLocalizedWithLanguage(course.title, lang), provider: course.provider?.name, available: true };
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return { ...item, title: undefined, provider: undefined, available: false };
        throw error;
      }
    }),
  );
}

/**
 * The counselor workspace (`/counselor/…`, role counselor, guarded by PAGE_ACCESS): client profiles, matches,
 * shortlists, handouts and share links. Pages read and write through the same services as the API; every form
 * posts with its `_csrf` token and answers with a redirect (303), so a reload never posts twice.
 */
export function clientPages(services: AppServices, localize: PageLocalizer): Router {
  const router = Router();
  const { clients } = services;
  const { retentionDays, shareLinkDays } = services.deps.config.clients;

  function renderForm(res: Response, client: ClientResponse | undefined, values: FormValues, errors: FormErrors, status = 200) {
    const { fmt, t } = res.locals as PageLocals;
    const form = clientFormView(values, errors, fmt, t);
    res.status(status).render('counselor/form', { form, client, errors: form.errorList });
  }

  async function renderClient(req: Request, res: Response, client: ClientResponse, shareLink?: { url: string; expiresAt: string }) {
    const { lang } = res.locals as PageLocals;
    const shortlist = await shortlistView(services, client, lang);
    res.render('counselor/client', {
      client: { ...client, shortlistView: shortlist, langName: LANGUAGE_NAMES[client.lang] },
      notice: noticeOf(req),
      shareLink,
      retention: { retentionDays, shareLinkDays },
    });
  }

  router.get('/counselor', (_req, res) => res.redirect(303, BASE));

  router.get(BASE, async (req, res) => {
    const list = await clients.list(actorOf(res));
    res.render('counselor/list', { clients: list.map((client) => ({ ...client, langName: LANGUAGE_NAMES[client.lang] })), notice: noticeOf(req), retention: { retentionDays, shareLinkDays } });
  });

  router.get(`${BASE}/new`, (_req, res) => renderForm(res, undefined, formValuesFromClient(), {}));

  router.post(BASE, async (req, res) => {
    const { t } = res.locals as PageLocals;
    const values = formValuesFromBody(req.body as Record<string, unknown>);
    const parsed = parseFormValues(values, t);
    if ('errors' in parsed) return renderForm(res, undefined, values, parsed.errors, 400);
    try {
      const created = await clients.create(actorOf(res), parsed.body);
      res.redirect(303, `${BASE}/${created.id}/matches`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      renderForm(res, undefined, values, fieldErrors(error.details, t), 400);
    }
  });

  // The course page's small form: a counselor picks one of their clients for this course.
  router.post('/counselor/shortlist', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const clientId = String(body.clientId ?? '');
    const courseId = String(body.courseId ?? '');
    if (!isObjectId(courseId)) throw new AppError('not_found', 'Course not found.', 404);
    await services.courses.getVisible(undefined, courseId);
    await clients.addToShortlist(actorOf(res), clientId, courseId);
    res.redirect(303, withNotice(`${BASE}/${clientId}`, 'added'));
  });

  router.get(`${BASE}/:id`, async (req, res) => {
    await renderClient(req, res, await clients.get(actorOf(res), req.params.id));
  });

  router.get(`${BASE}/:id/edit`, async (req, res) => {
    const client = await clients.get(actorOf(res), req.params.id);
    renderForm(res, client, formValuesFromClient(client), {});
  });

  router.post(`${BASE}/:id/edit`, async (req, res) => {
    const { t } = res.locals as PageLocals;
    const actor = actorOf(res);
    const client = await clients.get(actor, req.params.id);
    const values = formValuesFromBody(req.body as Record<string, unknown>);
    const parsed = parseFormValues(values, t);
    if ('errors' in parsed) return renderForm(res, client, values, parsed.errors, 400);
    try {
      await clients.replace(actor, client.id, parsed.body);
      res.redirect(303, withNotice(`${BASE}/${client.id}`, 'saved'));
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      renderForm(res, client, values, fieldErrors(error.details, t), 400);
    }
  });

  router.get(`${BASE}/:id/matches`, async (req, res) => {
    const { lang } = res.locals as PageLocals;
    const actor = actorOf(res);
    const client = await clients.get(actor, req.params.id);
    const answer = await matchesForClient(services, actor, client.id, lang);
    const failedGroups = [...new Set(answer.nearMisses.map((miss) => miss.failed))].map((failed) => ({ failed, items: answer.nearMisses.filter((miss) => miss.failed === failed) }));
    res.render('counselor/matches', {
      client: { ...client, onShortlist: client.shortlist.map((item) => item.courseId) },
      answer: { ...answer, failedGroups },
      notice: noticeOf(req),
    });
  });

  /** Shortlist edits without JavaScript: add, move up or down, note, remove — each one small form. */
  router.post(`${BASE}/:id/shortlist`, async (req, res) => {
    const actor = actorOf(res);
    const body = req.body as Record<string, unknown>;
    const courseId = String(body.courseId ?? '');
    const action = String(body.action ?? '');
    const client = await clients.get(actor, req.params.id);
    const back = backTo(body.back, `${BASE}/${client.id}`);
    if (action === 'add') {
      if (!isObjectId(courseId)) throw new AppError('not_found', 'Course not found.', 404);
      await services.courses.getVisible(undefined, courseId);
      await clients.addToShortlist(actor, client.id, courseId);
      res.redirect(303, withNotice(back, 'added'));
      return;
    }
    const items: ShortlistItem[] = client.shortlist.map((item) => ({ ...item }));
    const index = items.findIndex((item) => item.courseId === courseId);
    if (index < 0) throw new AppError('not_found', 'This course is not on the shortlist.', 404);
    const swap = (other: number) => {
      if (other < 0 || other >= items.length) return;
      [items[index], items[other]] = [items[other] as ShortlistItem, items[index] as ShortlistItem];
    };
    if (action === 'up') swap(index - 1);
    else if (action === 'down') swap(index + 1);
    else if (action === 'remove') items.splice(index, 1);
    else if (action === 'note') (items[index] as ShortlistItem).note = String(body.note ?? '').trim().slice(0, 300);
    else throw new AppError('invalid_body', 'Unknown action.', 400);
    await clients.setShortlist(actor, client.id, items.slice(0, SHORTLIST_MAX));
    res.redirect(303, action === 'note' ? withNotice(back, 'noteSaved') : `${back}#shortlist`);
  });

  router.post(`${BASE}/:id/share`, async (req, res) => {
    const actor = actorOf(res);
    const link = await clients.createShare(actor, req.params.id);
    const client = await clients.get(actor, req.params.id);
    // The address is shown this once (only its hash is stored), so this answer is a page, not a redirect.
    res.setHeader('Cache-Control', 'private, no-store');
    res.status(201);
    await renderClient(req, res, client, { url: shareUrl(requestOrigin(req), link.token), expiresAt: link.expiresAt.toISOString() });
  });

  router.post(`${BASE}/:id/share/revoke`, async (req, res) => {
    await clients.revokeShare(actorOf(res), req.params.id);
    res.redirect(303, withNotice(`${BASE}/${req.params.id}`, 'revoked'));
  });

  router.post(`${BASE}/:id/delete`, async (req, res) => {
    await clients.remove(actorOf(res), req.params.id);
    res.redirect(303, withNotice(BASE, 'deleted'));
  });

  router.get(`${BASE}/:id/handout`, async (req, res) => {
    const client = await clients.get(actorOf(res), req.params.id);
    await renderHandout(services, localize, req, res, { lang: client.lang, shortlist: client.shortlist, backHref: `${BASE}/${client.id}` });
  });

  return router;
}
