/**
 * The provider workspace (`/provider`, api.md → Website): dashboard, course editor, organisation profile and audit
 * trail. Routes stay thin: the courses and providers services own every write and every ownership check
 * (`canManageProvider`); these handlers only map forms to calls and answers to pages.
 */
import { isDeepStrictEqual } from 'node:util';
import { Router, type Request, type Response } from 'express';
import type { Actor } from '../accounts/actor';
import { canManageProvider } from '../accounts/permissions';
import type { AppServices } from '../app-services';
import { STALE_AFTER_DAYS, isStale } from '../courses/course-facts';
import { COURSE_TYPES, DAYS, LEVELS, MODES, COURSE_STATUSES } from '../courses/course.enums';
import type { CourseRecord } from '../courses/course.model';
import { contentOf } from '../courses/course.presenter';
import { courseContentSchema, type CourseContent } from '../courses/course.schema';
import { AppError, forbidden, notFound } from '../lib/errors';
import { LANGUAGES, pickLocalized } from '../lib/localized-text';
import { isObjectId } from '../lib/object-id';
import type { ProviderRecord } from '../providers/provider.model';
import { currentUser } from '../web/page-auth';
import type { PageLocals } from '../web/page-context';
import {
  FORM_KEYS_OF_FIELD,
  SESSION_ROWS,
  courseFromForm,
  emptyForm,
  fieldErrors,
  formFromBody,
  formFromCourse,
  type CourseForm,
  type FieldError,
} from './course-form';
import { profileFromBody, profileFromForm, profileFormOf, profileErrors, type ProfileForm } from './profile-form';
import { fieldLabel, readableValue } from './readable';

function actorOf(res: Response): Actor {
  const user = currentUser(res);
  if (!user) throw new AppError('unauthorized', 'Please log in.', 401);
  return user;
}

/** Whose workspace this is: a provider user's own organisation; an administrator chooses one (`?provider=`). */
function chosenProvider(req: Request, res: Response): string | undefined {
  const actor = actorOf(res);
  if (actor.role === 'provider') {
    if (!actor.providerId) throw forbidden('Your account is not linked to a provider.');
    return actor.providerId;
  }
  const asked = typeof req.query.provider === 'string' ? req.query.provider : typeof req.body?.provider === 'string' ? (req.body.provider as string) : '';
  return isObjectId(asked) ? asked : undefined;
}

/** The dashboard address for this person (administrators keep the chosen provider). */
function dashboardPath(actor: Actor, providerId: string, extra = ''): string {
  const query = [actor.role === 'admin' ? `provider=${providerId}` : '', extra].filter(Boolean).join('&');
  return `/provider${query ? `?${query}` : ''}`;
}

function versionOf(body: unknown): number {
  const raw = (body as { version?: unknown } | undefined)?.version;
  const version = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isInteger(version) && version > 0 ? version : 0;
}

function isConflict(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'version_conflict';
}

export function workspacePages(services: AppServices): Router {
  const router = Router();
  const { courses, providers, audit, accounts } = services;
  const { clock } = services.deps;

  async function ownCourse(actor: Actor, id: string): Promise<CourseRecord> {
    const course = await courses.findRecord(id);
    // Another organisation's course is as good as absent: its title must not leak either.
    if (!canManageProvider(actor, course.providerId.toString())) throw notFound('Course');
    return course;
  }

  async function ownProvider(actor: Actor, id: string): Promise<ProviderRecord> {
    if (!canManageProvider(actor, id)) throw forbidden();
    return providers.getRecord(id);
  }

  // ---------- Dashboard ----------

  async function renderDashboard(req: Request, res: Response, status = 200, rowMessage?: { courseId: string; message: string; providerId: string }) {
    const actor = actorOf(res);
    const providerId = rowMessage?.providerId ?? chosenProvider(req, res);
    if (!providerId) {
      res.render('workspace/choose', { view: { providers: await providers.listNames() } });
      return;
    }
    const provider = await ownProvider(actor, providerId);
    const archived = req.query.archived === '1';
    const list = await courses.listOwn(actor, providerId, archived ? 'archived' : 'current');
    const now = clock.now();
    const { lang } = res.locals as PageLocals;
    res.status(status).render('workspace/dashboard', {
      view: {
        provider: { id: providerId, name: provider.name },
        admin: actor.role === 'admin',
        archived,
        notice: typeof req.query.done === 'string' ? req.query.done : '',
        rowMessage,
        staleAfterDays: STALE_AFTER_DAYS,
        courses: list.map((course) => ({
          id: course._id.toString(),
          title: pickLocalized(course.title, lang),
          status: course.status,
          version: course.version,
          seats: course.seats ?? {},
          lastConfirmedAt: course.lastConfirmedAt,
          stale: isStale(course.lastConfirmedAt, now),
        })),
      },
    });
  }

  router.get('/provider', (req, res) => renderDashboard(req, res));

  router.post('/provider/courses/:id/confirm', async (req, res) => {
    const actor = actorOf(res);
    const course = await ownCourse(actor, req.params.id);
    await courses.confirm(actor, req.params.id);
    res.redirect(303, dashboardPath(actor, course.providerId.toString(), 'done=confirmed'));
  });

  router.post('/provider/confirm-all', async (req, res) => {
    const actor = actorOf(res);
    const providerId = chosenProvider(req, res);
    if (!providerId) throw notFound('Provider');
    await courses.confirmAll(actor, providerId);
    res.redirect(303, dashboardPath(actor, providerId, 'done=confirmedAll'));
  });

  router.post('/provider/courses/:id/seats', async (req, res) => {
    const actor = actorOf(res);
    const { t } = res.locals as PageLocals;
    const course = await ownCourse(actor, req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const count = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined);
    const counts = { available: count(body.available), waitlist: count(body.waitlist) };
    const providerId = course.providerId.toString();
    try {
      await courses.setSeats(actor, req.params.id, counts, versionOf(body));
    } catch (error) {
      if (isConflict(error)) {
        await renderDashboard(req, res, 409, { courseId: req.params.id, message: t('workspace:dashboard.seatsConflict'), providerId });
        return;
      }
      if (error instanceof AppError && error.status === 400) {
        await renderDashboard(req, res, 400, { courseId: req.params.id, message: t('workspace:dashboard.seatsInvalid'), providerId });
        return;
      }
      throw error;
    }
    res.redirect(303, dashboardPath(actor, providerId, 'done=seats'));
  });

  // ---------- Course editor ----------

  type EditorView = {
    course?: { id: string; status: string; version: number };
    providerId: string;
    form: CourseForm;
    errors: FieldError[];
    rows?: number;
    saved?: boolean;
  };

  async function renderEditor(res: Response, status: number, provider: ProviderRecord, view: EditorView) {
    const { form, errors } = view;
    const rows = Math.max(view.rows ?? 0, SESSION_ROWS, form.sessions.length + 1);
    const actor = actorOf(res);
    res.status(status).render('workspace/editor', {
      form,
      errors,
      view: {
        ...view,
        rows,
        admin: actor.role === 'admin',
        provider: { id: view.providerId, name: provider.name },
        action: view.course ? `/provider/courses/${view.course.id}/edit` : `/provider/courses/new${actor.role === 'admin' ? `?provider=${view.providerId}` : ''}`,
        venues: provider.venues.map((venue, index) => ({ value: `v${index}`, label: `${venue.name}, ${venue.street}, ${venue.postcode} ${venue.city}` })),
        languages: LANGUAGES,
        enums: { types: COURSE_TYPES, levels: LEVELS, modes: MODES, days: DAYS, statuses: COURSE_STATUSES.filter((s) => s !== 'archived' || form.status === 'archived') },
      },
    });
  }

  /** More session rows without JavaScript: the form comes back with everything typed and more empty rows. */
  function wantsMoreRows(body: unknown): boolean {
    return typeof (body as { addRows?: unknown } | undefined)?.addRows === 'string';
  }

  router.get('/provider/courses/new', async (req, res) => {
    const actor = actorOf(res);
    const providerId = chosenProvider(req, res);
    if (!providerId) throw notFound('Provider');
    const provider = await ownProvider(actor, providerId);
    await renderEditor(res, 200, provider, { providerId, form: emptyForm(), errors: [] });
  });

  router.post('/provider/courses/new', async (req, res) => {
    const actor = actorOf(res);
    const { t } = res.locals as PageLocals;
    const providerId = chosenProvider(req, res);
    if (!providerId) throw notFound('Provider');
    const provider = await ownProvider(actor, providerId);
    const form = formFromBody(req.body);
    if (wantsMoreRows(req.body)) {
      await renderEditor(res, 200, provider, { providerId, form, errors: [], rows: Math.max(SESSION_ROWS, form.sessions.length) + SESSION_ROWS });
      return;
    }
    const checked = courseContentSchema.safeParse(courseFromForm(form, provider.venues));
    if (!checked.success) {
      await renderEditor(res, 400, provider, { providerId, form, errors: fieldErrors(checked.error.issues, t) });
      return;
    }
    const created = await courses.create(actor, { ...checked.data, providerId });
    res.redirect(303, `/provider/courses/${created.id}/edit?saved=1`);
  });

  router.get('/provider/courses/:id/edit', async (req, res) => {
    const actor = actorOf(res);
    const course = await ownCourse(actor, req.params.id);
    const provider = await providers.getRecord(course.providerId.toString());
    await renderEditor(res, 200, provider, {
      course: { id: req.params.id, status: course.status, version: course.version },
      providerId: provider._id.toString(),
      form: formFromCourse(contentOf(course) as CourseContent, provider.venues),
      errors: [],
      saved: req.query.saved === '1',
    });
  });

  /** The fields where the latest version and mine differ, as rows of the conflict screen. */
  function conflictRows(res: Response, latest: CourseRecord, mine: Record<string, unknown>) {
    const { t, fmt } = res.locals as PageLocals;
    const theirs = contentOf(latest);
    return Object.keys(FORM_KEYS_OF_FIELD)
      .filter((field) => !isDeepStrictEqual(theirs[field], mine[field]))
      .map((field) => ({ field, label: fieldLabel(field, t), theirs: readableValue(theirs[field], t, fmt), mine: readableValue(mine[field], t, fmt) }));
  }

  async function renderConflict(res: Response, latest: CourseRecord, provider: ProviderRecord, form: CourseForm) {
    const mine = courseFromForm(form, provider.venues, latest.venue);
    res.status(409).render('workspace/conflict', {
      view: {
        course: { id: latest._id.toString(), version: latest.version },
        rows: conflictRows(res, latest, mine),
        mine: JSON.stringify(form),
      },
    });
  }

  /** Applies the conflict screen's choices: every field is the latest version's unless the user kept theirs. */
  function resolvedForm(body: Record<string, unknown>, latest: CourseRecord, provider: ProviderRecord): CourseForm {
    let mine: CourseForm;
    try {
      mine = formFromBody(JSON.parse(typeof body.mine === 'string' ? body.mine : '{}'));
    } catch {
      mine = formFromBody({});
    }
    const theirs = formFromCourse(contentOf(latest) as CourseContent, provider.venues);
    const choices = (body.choice && typeof body.choice === 'object' ? body.choice : {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...mine };
    for (const [field, keys] of Object.entries(FORM_KEYS_OF_FIELD)) {
      if (choices[field] === 'mine') continue;
      for (const key of keys) merged[key] = theirs[key];
    }
    return merged as CourseForm;
  }

  router.post('/provider/courses/:id/edit', async (req, res) => {
    const actor = actorOf(res);
    const { t } = res.locals as PageLocals;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const latest = await ownCourse(actor, req.params.id);
    const provider = await providers.getRecord(latest.providerId.toString());
    const resolving = body.resolve === '1';
    const form = resolving ? resolvedForm(body, latest, provider) : formFromBody(body);
    const version = resolving ? latest.version : versionOf(body);
    const course = { id: req.params.id, status: latest.status, version };
    const providerId = provider._id.toString();
    if (wantsMoreRows(body)) {
      await renderEditor(res, 200, provider, { course, providerId, form, errors: [], rows: Math.max(SESSION_ROWS, form.sessions.length) + SESSION_ROWS });
      return;
    }
    if (version !== latest.version) {
      await renderConflict(res, latest, provider, form);
      return;
    }
    const checked = courseContentSchema.safeParse(courseFromForm(form, provider.venues, latest.venue));
    if (!checked.success) {
      await renderEditor(res, 400, provider, { course, providerId, form, errors: fieldErrors(checked.error.issues, t) });
      return;
    }
    try {
      await courses.replaceContent(actor, req.params.id, checked.data, version);
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Someone saved between our read and our write.
      await renderConflict(res, await courses.findRecord(req.params.id), provider, form);
      return;
    }
    res.redirect(303, `/provider/courses/${req.params.id}/edit?saved=1`);
  });

  router.post('/provider/courses/:id/duplicate', async (req, res) => {
    const actor = actorOf(res);
    await ownCourse(actor, req.params.id);
    const copy = await courses.duplicate(actor, req.params.id);
    res.redirect(303, `/provider/courses/${copy.id}/edit`);
  });

  /** Publish, back to draft, archive: buttons on the editor and the dashboard. */
  for (const action of ['publish', 'unpublish', 'archive'] as const) {
    router.post(`/provider/courses/:id/${action}`, async (req, res) => {
      const actor = actorOf(res);
      const { t } = res.locals as PageLocals;
      const course = await ownCourse(actor, req.params.id);
      const version = versionOf(req.body) || undefined;
      try {
        if (action === 'archive') await courses.archive(actor, req.params.id, version);
        else await courses.setStatus(actor, req.params.id, action === 'publish' ? 'published' : 'draft', version);
      } catch (error) {
        if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
        const provider = await providers.getRecord(course.providerId.toString());
        const latest = await courses.findRecord(req.params.id);
        // The service refused the publish; the same check again gives the messages beside the fields.
        const recheck = courseContentSchema.safeParse({ ...contentOf(latest), status: 'published' });
        const problems = error.status === 400 && !recheck.success ? fieldErrors(recheck.error.issues, t) : [{ fieldId: 'title-de', message: t('workspace:editor.conflictShort') }];
        await renderEditor(res, error.status, provider, {
          course: { id: req.params.id, status: latest.status, version: latest.version },
          providerId: provider._id.toString(),
          form: formFromCourse(contentOf(latest) as CourseContent, provider.venues),
          errors: problems,
        });
        return;
      }
      res.redirect(303, action === 'archive' ? dashboardPath(actor, course.providerId.toString(), 'done=archived') : `/provider/courses/${req.params.id}/edit?saved=1`);
    });
  }

  // ---------- Organisation profile ----------

  async function renderProfile(res: Response, status: number, provider: ProviderRecord, form: ProfileForm, errors: FieldError[], extra: { saved?: boolean; rows?: number } = {}) {
    res.status(status).render('workspace/profile', {
      form,
      errors,
      view: {
        provider: { id: provider._id.toString(), name: provider.name, version: provider.version },
        languages: LANGUAGES,
        rows: Math.max(extra.rows ?? 0, form.venues.length + 1),
        saved: extra.saved ?? false,
        admin: actorOf(res).role === 'admin',
      },
      // With JavaScript, each venue's point can be dragged on a small map (public/js/venue-map.js).
      map: { tileUrl: services.deps.config.map.tileUrl, attribution: services.deps.config.map.attribution, centre: services.deps.config.regionCentre },
    });
  }

  router.get('/provider/profile', async (req, res) => {
    const actor = actorOf(res);
    const providerId = chosenProvider(req, res);
    if (!providerId) throw notFound('Provider');
    const provider = await ownProvider(actor, providerId);
    await renderProfile(res, 200, provider, profileFormOf(provider), [], { saved: req.query.saved === '1' });
  });

  router.post('/provider/profile', async (req, res) => {
    const actor = actorOf(res);
    const { t } = res.locals as PageLocals;
    const providerId = chosenProvider(req, res);
    if (!providerId) throw notFound('Provider');
    const provider = await ownProvider(actor, providerId);
    const form = profileFromBody(req.body);
    if (wantsMoreRows(req.body)) {
      await renderProfile(res, 200, provider, form, [], { rows: form.venues.length + 3 });
      return;
    }
    const { content, issues } = profileFromForm(form, provider.name);
    if (issues.length > 0) {
      await renderProfile(res, 400, provider, form, profileErrors(issues, t));
      return;
    }
    try {
      await providers.update(actor, providerId, content, versionOf(req.body));
    } catch (error) {
      if (!isConflict(error)) throw error;
      const latest = await providers.getRecord(providerId);
      await renderProfile(res, 409, latest, form, [{ fieldId: 'description-de', message: t('workspace:profile.conflict') }]);
      return;
    }
    res.redirect(303, `/provider/profile?saved=1${actor.role === 'admin' ? `&provider=${providerId}` : ''}`);
  });

  // ---------- Audit trail ----------

  router.get('/provider/audit', async (req, res) => {
    const actor = actorOf(res);
    const { t, fmt, lang } = res.locals as PageLocals;
    const providerId = chosenProvider(req, res);
    if (!providerId) throw notFound('Provider');
    const provider = await ownProvider(actor, providerId);
    const entries = await audit.recent({ providerId }, 100);
    const emails = await accounts.emailsOf([...new Set(entries.map((e) => e.actor.userId?.toString()).filter((id): id is string => Boolean(id)))]);
    const titles = await courses.titlesOf(providerId, entries.filter((e) => e.entity === 'course').map((e) => e.entityId.toString()));
    res.render('workspace/audit', {
      view: {
        provider: { id: providerId, name: provider.name },
        admin: actor.role === 'admin',
        entries: entries.map((entry) => ({
          who: entry.actor.userId ? (emails.get(entry.actor.userId.toString()) ?? t('workspace:audit.unknownUser')) : t('workspace:audit.system'),
          at: entry.at,
          action: entry.action,
          entity: entry.entity,
          what: entry.entity === 'course' ? pickLocalized(titles.get(entry.entityId.toString()), lang) || t('workspace:audit.course') : provider.name,
          courseId: entry.entity === 'course' ? entry.entityId.toString() : undefined,
          changes: (entry.changes ?? []).map((change) => ({ label: fieldLabel(change.field, t), from: readableValue(change.from, t, fmt), to: readableValue(change.to, t, fmt) })),
          fields: entry.changes ? [] : entry.fields.map((field) => fieldLabel(field, t)),
        })),
      },
    });
  });

  return router;
}
