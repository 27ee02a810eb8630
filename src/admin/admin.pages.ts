import { Router, type Response } from 'express';
import { z } from 'zod';
import { ROLES } from '../accounts/account.enums';
import { createUserBodySchema } from '../accounts/account.schema';
import { PASSWORD_RULES } from '../accounts/password-policy';
import type { AppServices } from '../app-services';
import { systemInfo } from '../health/system-info';
import { STALE_AFTER_DAYS } from '../courses/course-facts';
import { AppError, forbidden } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { parseInput } from '../lib/validation';
import type { ProviderRecord } from '../providers/provider.model';
import { createProviderBodySchema } from '../providers/provider.schema';
import type { PageLocals } from '../web/page-context';
import { currentUser, type PageUser } from '../web/page-auth';
import type { FieldError } from '../accounts/account.pages';

/** A form field as text ('' when missing or not a string: forms never send anything else). */
const field = z.preprocess((value) => (typeof value === 'string' ? value.trim() : ''), z.string().max(2000));
const versionField = z.preprocess((value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined), z.number().int().min(1).optional());

const providerFormSchema = z.object({
  name: field,
  email: field,
  phone: field,
  website: field,
  bamfApprovalNumber: field,
  staffLanguages: field,
  verified: field,
  version: versionField,
});
type ProviderForm = z.infer<typeof providerFormSchema>;

const userFormSchema = z.object({ email: field, password: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(200)), role: field, providerId: field });

/** The provider form's fields as the providers service takes them; empty fields are left out (merge patch: removed). */
function providerPatch(form: ProviderForm): Record<string, unknown> {
  const contact = { email: form.email || null, phone: form.phone || null, website: form.website || null };
  return {
    name: form.name,
    contact,
    bamfApprovalNumber: form.bamfApprovalNumber || null,
    staffLanguages: form.staffLanguages ? form.staffLanguages.split(/[\s,;]+/).filter(Boolean).map((code) => code.toLowerCase()) : [],
    verified: form.verified === 'on' || form.verified === 'true',
  };
}

function providerFormOf(provider: ProviderRecord): ProviderForm {
  return {
    name: provider.name,
    email: provider.contact.email ?? '',
    phone: provider.contact.phone ?? '',
    website: provider.contact.website ?? '',
    bamfApprovalNumber: provider.bamfApprovalNumber ?? '',
    staffLanguages: provider.staffLanguages.join(', '),
    verified: provider.verified ? 'on' : '',
    version: provider.version,
  };
}

/** The form field a service's error detail belongs to (`contact.email` → `email`). */
function fieldIdOf(param: string): string {
  const first = param.replace(/^contact\./, '').split('.')[0] ?? param;
  return first || 'name';
}

/** A rejected form's messages in the reader's language, one per field. */
function formErrors(res: Response, error: AppError, labels: Record<string, string>): FieldError[] {
  const { t } = res.locals as PageLocals;
  const ids = [...new Set(error.details.map((detail) => fieldIdOf(detail.param)))];
  if (ids.length === 0) return [{ fieldId: Object.keys(labels)[0] ?? 'name', message: t('admin:errors.generic') }];
  return ids.map((id) => ({ fieldId: id in labels ? id : (Object.keys(labels)[0] ?? id), message: t('admin:errors.invalid', { field: labels[id] ?? id }) }));
}

function adminOf(res: Response): PageUser {
  const user = currentUser(res);
  // The area guard (PAGE_ACCESS['/admin']) lets admins only; this keeps the types honest.
  if (user?.role !== 'admin') throw forbidden();
  return user;
}

/** A 400 from a service (invalid input) is shown on the form; anything else goes to the error pages. */
function isInputError(error: unknown): error is AppError {
  return error instanceof AppError && error.status === 400;
}

/**
 * The administration (`/admin`, admins only; the area is guarded by PAGE_ACCESS): system overview, providers, users,
 * stale listings, the search index and the audit trail. Every change goes through the owning service.
 */
export function adminPages(services: AppServices): Router {
  const router = Router();
  const { providers, accounts, staleListings, sync, rebuilds, audit } = services;

  router.use('/admin', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/admin', async (_req, res) => {
    res.render('admin/overview', { page: { section: 'overview', info: await systemInfo(services) } });
  });

  // Providers
  router.get('/admin/providers', async (req, res) => {
    res.render('admin/providers', { page: { section: 'providers', providers: await providers.listAll(), done: typeof req.query.done === 'string' ? req.query.done : undefined } });
  });

  function providerLabels(res: Response): Record<string, string> {
    const { t } = res.locals as PageLocals;
    return {
      name: t('admin:providers.form.name'),
      email: t('admin:providers.form.email'),
      phone: t('admin:providers.form.phone'),
      website: t('admin:providers.form.website'),
      bamfApprovalNumber: t('admin:providers.form.bamf'),
      staffLanguages: t('admin:providers.form.languages'),
    };
  }

  const emptyProviderForm: ProviderForm = { name: '', email: '', phone: '', website: '', bamfApprovalNumber: '', staffLanguages: '', verified: '', version: undefined };

  router.get('/admin/providers/new', (_req, res) => {
    res.render('admin/provider-form', { form: emptyProviderForm, page: { section: 'providers', mode: 'new' }, errors: [] });
  });

  router.post('/admin/providers/new', async (req, res) => {
    const admin = adminOf(res);
    const form = providerFormSchema.parse(req.body ?? {});
    const patch = providerPatch(form);
    // Creation takes the fields as they are, without the nulls that remove a value on edit.
    const body = JSON.parse(JSON.stringify(patch, (_key, value: unknown) => (value === null ? undefined : value))) as Record<string, unknown>;
    try {
      const created = await providers.create(admin, parseInput(createProviderBodySchema, body, 'body'));
      res.redirect(303, `/admin/users?provider=${created.id}&done=providerCreated`);
    } catch (error) {
      if (!isInputError(error)) throw error;
      res.status(400).render('admin/provider-form', { form, page: { section: 'providers', mode: 'new' }, errors: formErrors(res, error, providerLabels(res)) });
    }
  });

  router.get('/admin/providers/:id/edit', async (req, res) => {
    const provider = await providers.getRecord(req.params.id);
    res.render('admin/provider-form', { form: providerFormOf(provider), page: { section: 'providers', mode: 'edit', provider }, errors: [] });
  });

  router.post('/admin/providers/:id/edit', async (req, res) => {
    const admin = adminOf(res);
    const provider = await providers.getRecord(req.params.id);
    const form = providerFormSchema.parse(req.body ?? {});
    try {
      await providers.update(admin, provider._id.toString(), providerPatch(form), form.version);
      res.redirect(303, '/admin/providers?done=saved');
    } catch (error) {
      if (!isInputError(error)) throw error;
      res.status(400).render('admin/provider-form', { form, page: { section: 'providers', mode: 'edit', provider }, errors: formErrors(res, error, providerLabels(res)) });
    }
  });

  router.post('/admin/providers/:id/verify', async (req, res) => {
    const form = providerFormSchema.parse(req.body ?? {});
    await providers.update(adminOf(res), req.params.id, { verified: form.verified === 'true' }, form.version);
    res.redirect(303, '/admin/providers?done=saved');
  });

  router.post('/admin/providers/:id/deactivate', async (req, res) => {
    await providers.setActive(adminOf(res), req.params.id, false, providerFormSchema.parse(req.body ?? {}).version);
    res.redirect(303, '/admin/providers?done=deactivated');
  });

  router.post('/admin/providers/:id/reactivate', async (req, res) => {
    await providers.setActive(adminOf(res), req.params.id, true, providerFormSchema.parse(req.body ?? {}).version);
    res.redirect(303, '/admin/providers?done=reactivated');
  });

  // Users
  async function renderUsers(res: Response, status: number, extra: { form?: Record<string, string>; errors?: FieldError[]; resetLink?: { url: string; email: string; expiresAt: Date }; done?: string }) {
    const [users, providerList] = await Promise.all([accounts.listUsers(), providers.listAll()]);
    const names = new Map(providerList.map((p) => [p._id.toString(), p.name]));
    res.status(status).render('admin/users', {
      form: extra.form ?? { email: '', role: 'provider', providerId: '' },
      errors: extra.errors ?? [],
      page: { section: 'users', users, providers: providerList, providerNames: names, roles: ROLES, resetLink: extra.resetLink, done: extra.done },
      passwordRules: PASSWORD_RULES,
    });
  }

  router.get('/admin/users', async (req, res) => {
    const preselected = typeof req.query.provider === 'string' && isObjectId(req.query.provider) ? req.query.provider : '';
    await renderUsers(res, 200, { form: { email: '', role: 'provider', providerId: preselected }, done: typeof req.query.done === 'string' ? req.query.done : undefined });
  });

  router.post('/admin/users', async (req, res) => {
    adminOf(res);
    const { t } = res.locals as PageLocals;
    const form = userFormSchema.parse(req.body ?? {});
    const shown = { email: form.email, role: form.role, providerId: form.providerId };
    const labels = { email: t('admin:users.form.email'), password: t('admin:users.form.password'), role: t('admin:users.form.role'), providerId: t('admin:users.form.provider') };
    try {
      const input = parseInput(createUserBodySchema, { email: form.email, password: form.password, role: form.role, ...(form.role === 'provider' && form.providerId ? { providerId: form.providerId } : {}) }, 'body');
      await accounts.createUser(input);
      res.redirect(303, '/admin/users?done=userCreated');
    } catch (error) {
      if (error instanceof AppError && error.code === 'email_taken') {
        await renderUsers(res, 409, { form: shown, errors: [{ fieldId: 'email', message: t('admin:users.errors.emailTaken') }] });
        return;
      }
      if (!isInputError(error)) throw error;
      await renderUsers(res, 400, { form: shown, errors: formErrors(res, error, labels) });
    }
  });

  router.post('/admin/users/:id/deactivate', async (req, res) => {
    await accounts.setActive(adminOf(res), req.params.id, false);
    res.redirect(303, '/admin/users?done=deactivated');
  });

  router.post('/admin/users/:id/reactivate', async (req, res) => {
    await accounts.setActive(adminOf(res), req.params.id, true);
    res.redirect(303, '/admin/users?done=reactivated');
  });

  router.post('/admin/users/:id/reset-link', async (req, res) => {
    const admin = adminOf(res);
    const { token, expiresAt } = await accounts.issueResetLink(admin, req.params.id);
    const email = (await accounts.emailsOf([req.params.id])).get(req.params.id) ?? '';
    // Shown this once (the page is no-store); only the token's hash is stored.
    await renderUsers(res, 200, { resetLink: { url: `${services.deps.config.publicUrl}/reset/${token}`, email, expiresAt } });
  });

  // Stale listings
  router.get('/admin/stale', async (req, res) => {
    res.render('admin/stale', { staleAfterDays: STALE_AFTER_DAYS, page: { section: 'stale', groups: await staleListings.overview(), sent: typeof req.query.sent === 'string' ? Number(req.query.sent) : undefined } });
  });

  router.post('/admin/stale/:providerId/remind', async (req, res) => {
    adminOf(res);
    const recipients = await staleListings.remind(req.params.providerId);
    res.redirect(303, `/admin/stale?sent=${recipients.length}`);
  });

  // Search index
  router.get('/admin/search', async (_req, res) => {
    const [backlog, stuck] = await Promise.all([sync.backlog(), sync.stuck()]);
    res.render('admin/search', { page: { section: 'search', backlog, stuck, status: sync.status(), details: sync.details(), rebuild: rebuilds.state() } });
  });

  router.post('/admin/search/rebuild', (_req, res) => {
    adminOf(res);
    rebuilds.start();
    res.redirect(303, '/admin/search');
  });

  // Audit trail
  router.get('/admin/audit', async (req, res) => {
    const providerId = typeof req.query.provider === 'string' && isObjectId(req.query.provider) ? req.query.provider : undefined;
    const [entries, providerList] = await Promise.all([audit.recent(providerId ? { providerId } : {}, 200), providers.listAll()]);
    const names = new Map(providerList.map((p) => [p._id.toString(), p.name]));
    res.render('admin/audit', { page: { section: 'audit', entries, providers: providerList, providerNames: names, providerId } });
  });

  return router;
}
