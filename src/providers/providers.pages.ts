import { Router } from 'express';
import type { AppServices } from '../app-services';
import { requestOrigin } from '../lib/request-origin';
import { pickLocalizedWithLanguage } from '../lib/localized-text';
import type { PageLocals } from '../web/page-context';
import { pathInLanguage } from '../web/page-language';

/** `/providers/:id`: who they are, how to reach them, where they teach, which languages they speak, their courses. */
export function providerPages(services: AppServices): Router {
  const router = Router();

  router.get('/providers/:id', async (req, res) => {
    const { lang } = res.locals as PageLocals;
    const provider = await services.catalog.providerWithCards(req.params.id, lang);
    res.render('providers/detail', {
      provider,
      description: provider.description ? pickLocalizedWithLanguage(provider.description, lang) : undefined,
      canonical: `${requestOrigin(req)}${pathInLanguage(`/providers/${provider.id}`, lang)}`,
    });
  });

  return router;
}
