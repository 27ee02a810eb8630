import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { AppError } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { currentUser, type PageUser } from '../web/page-auth';
import type { PageLocals } from '../web/page-context';

const formText = (max: number) => z.preprocess((value) => (typeof value === 'string' ? value : ''), z.string().max(max));
const uploadFormSchema = z.object({ text: formText(256 * 1024), providerId: formText(64) });
const confirmFormSchema = z.object({ pendingId: formText(64) });

function userOf(res: Response): PageUser {
  const user = currentUser(res);
  // The /provider area is guarded (PAGE_ACCESS); this only satisfies the type.
  if (!user) throw new AppError('unauthorized', 'Please log in.', 401);
  return user;
}

/** The uploaded file (multipart field `file`) if there is one, else the pasted text; UTF-8 either way. */
function csvTextOf(req: Request, pasted: string): string {
  const file = (req as Request & { file?: { buffer: Buffer } }).file;
  return file && file.buffer.length > 0 ? file.buffer.toString('utf8') : pasted;
}

/**
 * `/provider/import`: upload or paste → a preview of every row → nothing is saved until the user confirms →
 * all valid rows saved in one transaction → a report linking the new courses. The file waits on the server
 * (`pending_imports`) between preview and confirmation.
 */
export function courseCsvPages({ courseCsv }: AppServices): Router {
  const router = Router();

  async function renderForm(res: Response, status: number, error?: string) {
    const user = userOf(res);
    const providers = user.role === 'admin' ? await courseCsv.providerChoices() : [];
    res.status(status).render('course-csv/import', { view: 'form', form: { providers }, errors: error ? [{ fieldId: 'file', message: error }] : [] });
  }

  router.get('/provider/import', async (_req, res) => {
    await renderForm(res, 200);
  });

  router.post('/provider/import', async (req, res) => {
    const { t } = res.locals as PageLocals;
    const user = userOf(res);
    const form = uploadFormSchema.parse(req.body ?? {});
    const text = csvTextOf(req, form.text);
    if (text.trim() === '') {
      await renderForm(res, 400, t('csvimport:errors.empty'));
      return;
    }
    const into = user.role === 'admin' ? form.providerId : undefined;
    if (user.role === 'admin' && !isObjectId(into ?? '')) {
      await renderForm(res, 400, t('csvimport:errors.chooseProvider'));
      return;
    }
    try {
      const { pendingId, preview } = await courseCsv.stashPreview(user, text, into);
      res.setHeader('Cache-Control', 'no-store');
      res.render('course-csv/import', { view: 'preview', result: { pendingId, ...preview }, errors: [] });
    } catch (error) {
      // A header the import does not know: the file as a whole cannot be read.
      if (!(error instanceof AppError) || error.code !== 'invalid_csv') throw error;
      await renderForm(res, 400, t('csvimport:errors.header', { columns: error.details.map((d) => d.param).join(', ') }));
    }
  });

  // The API's export knows bearer tokens, not website sessions: the logged-in user's own export is served here.
  router.get('/provider/export.csv', async (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="kurse.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/csv; charset=utf-8');
    await pipeline(courseCsv.exportCsv(userOf(res)), res);
  });

  router.post('/provider/import/confirm', async (req, res) => {
    const user = userOf(res);
    const { pendingId } = confirmFormSchema.parse(req.body ?? {});
    const result = await courseCsv.confirmPending(user, pendingId);
    res.setHeader('Cache-Control', 'no-store');
    res.render('course-csv/import', { view: 'done', result, errors: [] });
  });

  return router;
}
