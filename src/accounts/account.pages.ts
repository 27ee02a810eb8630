import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { AppError } from '../lib/errors';
import type { PageLocals } from '../web/page-context';
import { HOME_OF_ROLE, currentUser, endSession, safeNextPath, startSession } from '../web/page-auth';
import { csrfTokenFor } from '../web/session';
import { PasswordRejected } from './accounts.service';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_RULES } from './password-policy';

const text = (max: number) => z.preprocess((value) => (typeof value === 'string' ? value : ''), z.string().max(max));

const loginFormSchema = z.object({
  email: text(200).transform((email) => email.trim().toLowerCase()),
  password: text(MAX_PASSWORD_LENGTH),
  next: text(500).optional(),
});
const newPasswordFormSchema = z.object({ current: text(MAX_PASSWORD_LENGTH).optional(), password: text(MAX_PASSWORD_LENGTH), confirm: text(MAX_PASSWORD_LENGTH) });

export type FieldError = { fieldId: string; message: string };


/** The message beside the new-password field, in the reader's language. */
function passwordError(res: Response, rejection: PasswordRejected): FieldError {
  const { t } = res.locals as PageLocals;
  if (rejection.problem === 'wrongCurrent') return { fieldId: 'current', message: t('account:password.errors.wrongCurrent') };
  if (rejection.problem === 'tooShort') return { fieldId: 'password', message: t('account:password.errors.tooShort', { count: MIN_PASSWORD_LENGTH }) };
  return { fieldId: 'password', message: t(`account:password.errors.${rejection.problem}`) };
}

/** Login, logout, change password, and the one-time reset link (api.md → Website). */
export function accountPages(services: AppServices): Router {
  const router = Router();
  const { accounts } = services;
  const { clock } = services.deps;

  // Every render of the password form (change and reset, with or without errors) states the policy's own limits.
  router.use(['/account/password', '/reset'], (_req, res, next) => {
    res.locals.passwordRules = PASSWORD_RULES;
    next();
  });

  function renderLogin(req: Request, res: Response, status: number, form: { email: string; next?: string }, message?: string) {
    res.status(status).render('account/login', { form, errors: message ? [{ fieldId: 'email', message }] : [], csrfToken: csrfTokenFor(req) });
  }

  router.get('/login', (req, res) => {
    const user = currentUser(res);
    const next = safeNextPath(req.query.next);
    if (user) {
      res.redirect(303, next ?? HOME_OF_ROLE[user.role]);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    renderLogin(req, res, 200, { email: '', ...(next ? { next } : {}) });
  });

  router.post('/login', async (req, res) => {
    const { t } = res.locals as PageLocals;
    const form = loginFormSchema.parse(req.body ?? {});
    const next = safeNextPath(form.next);
    const shown = { email: form.email, ...(next ? { next } : {}) };
    if (!form.email || !form.password) {
      renderLogin(req, res, 400, shown, t('account:login.errors.missing'));
      return;
    }
    try {
      const user = await accounts.verifyCredentials(form.email, form.password, services.clientKeys(req.ip ?? 'unknown'));
      await startSession(req, user, clock.now());
      res.redirect(303, next ?? HOME_OF_ROLE[user.role]);
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error;
      if (error.status === 429) {
        res.setHeader('Retry-After', String(error.extra.retryAfterSeconds ?? 60));
        const minutes = Math.max(1, Math.ceil(Number(error.extra.retryAfterSeconds ?? 60) / 60));
        renderLogin(req, res, 429, shown, t('account:login.errors.tooMany', { count: minutes }));
        return;
      }
      renderLogin(req, res, 401, shown, t('account:login.errors.wrong'));
    }
  });

  router.post('/logout', async (req, res) => {
    await endSession(req, res);
    res.redirect(303, '/');
  });

  router.get('/account/password', (_req, res) => {
    res.render('account/password', { form: { mode: 'change' }, errors: [] });
  });

  router.post('/account/password', async (req, res) => {
    const { t } = res.locals as PageLocals;
    const user = currentUser(res);
    if (!user) throw new AppError('unauthorized', 'Please log in.', 401);
    const form = newPasswordFormSchema.parse(req.body ?? {});
    if (form.password !== form.confirm) {
      res.status(400).render('account/password', { form: { mode: 'change' }, errors: [{ fieldId: 'confirm', message: t('account:password.errors.mismatch') }] });
      return;
    }
    try {
      // This session stays logged in; every other session and API token of the account ends.
      req.session.sessionEpoch = await accounts.changePassword(user, form.current ?? '', form.password, services.clientKeys(req.ip ?? 'unknown'));
      res.render('account/password', { form: { mode: 'changed' }, errors: [] });
    } catch (error) {
      if (!(error instanceof PasswordRejected)) throw error;
      res.status(400).render('account/password', { form: { mode: 'change' }, errors: [passwordError(res, error)] });
    }
  });

  router.get('/reset/:token', async (req, res) => {
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const valid = await accounts.resetLinkIsValid(req.params.token);
    res.status(valid ? 200 : 410).render('account/password', { form: { mode: valid ? 'reset' : 'linkInvalid' }, errors: [], csrfToken: csrfTokenFor(req) });
  });

  router.post('/reset/:token', async (req, res) => {
    const { t } = res.locals as PageLocals;
    res.setHeader('Referrer-Policy', 'no-referrer');
    const form = newPasswordFormSchema.parse(req.body ?? {});
    const again = (status: number, errors: FieldError[], mode = 'reset') => res.status(status).render('account/password', { form: { mode }, errors, csrfToken: csrfTokenFor(req) });
    if (form.password !== form.confirm) {
      again(400, [{ fieldId: 'confirm', message: t('account:password.errors.mismatch') }]);
      return;
    }
    try {
      await accounts.resetPassword(req.params.token, form.password);
      // Whoever was logged in on this browser is not the person who just set a password.
      if (req.session.userId) await endSession(req, res);
      res.render('account/password', { form: { mode: 'resetDone' }, errors: [] });
    } catch (error) {
      if (!(error instanceof PasswordRejected)) throw error;
      if (error.problem === 'linkInvalid') again(410, [], 'linkInvalid');
      else again(400, [passwordError(res, error)]);
    }
  });

  return router;
}
