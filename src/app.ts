import express, { type Express } from 'express';
import type { AppServices } from './app-services';
import { accountsRoutes } from './accounts/accounts.routes';
import { authenticate } from './accounts/authenticate';
import { coursesRoutes } from './courses/courses.routes';
import { clientsRoutes } from './clients/clients.routes';
import { courseCsvRoutes } from './course-csv/course-csv.routes';
import { checkHealth } from './health/health.service';
import { HSDS_BASE_PATH, hsdsApi } from './hsds/hsds.routes';
import { defineRoute, mountRoutes, type ApiRoute } from './lib/api-route';
import { errorHandler, notFoundHandler } from './lib/error-handler';
import { buildOpenApiDocument } from './lib/openapi';
import { requestLogger } from './lib/request-log';
import { placesRoutes } from './places/places.routes';
import { providersRoutes } from './providers/providers.routes';
import { searchRoutes } from './search/search.routes';
import { matchingRoutes } from './matching/matching.routes';
import { courseActionRoutes } from './stats/course-actions';
import { apiSecurityHeaders } from './web/content-security';
import { ejsEngine } from './web/view-engine';
import { VIEWS_DIR, websiteRoutes } from './web/website';

/** Every /api/v1 endpoint. Order matters only where paths overlap (`/courses/export.csv` before `/courses/:id`). */
export function apiRoutes(services: AppServices): ApiRoute[] {
  return [...accountsRoutes(services), ...searchRoutes(services), ...placesRoutes(services), ...courseCsvRoutes(services), ...coursesRoutes(services), ...providersRoutes(services), ...matchingRoutes(services), ...clientsRoutes(services), ...courseActionRoutes(services)];
}


/** Builds the web app from its services; no listening and no global state, so tests run several side by side. */
export function createApp(services: AppServices): Express {
  const { config, logger } = services.deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogger(logger, { details: config.logRequestDetails }));
  const jsonSecurity = apiSecurityHeaders();
  app.set('views', VIEWS_DIR);
  // Templates are compiled once, also in development: recompiling every include on every page cost ~100× (bench).
  app.engine('ejs', ejsEngine(VIEWS_DIR));
  app.set('view engine', 'ejs');
  app.set('view cache', true);

  app.get('/health', jsonSecurity, async (_req, res) => {
    const health = await checkHealth(services);
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  const describeApi = defineRoute({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 description, generated from the validation schemas',
    tag: 'meta',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handle: async () => ({ json: openapi }),
  });
  const routes = [describeApi, ...apiRoutes(services)];
  const openapi = buildOpenApiDocument(routes, { title: 'Sprachkursfinder API', version: '1.0.0' });
  const api = express.Router();
  api.use(authenticate(services.accounts));
  api.use(mountRoutes(routes, { jsonBodyLimit: config.jsonBodyLimit, clientKey: services.clientKeys }));
  app.use('/api', jsonSecurity);
  app.use('/api/v1', api);
  app.use(HSDS_BASE_PATH, hsdsApi(services));
  app.use('/api', notFoundHandler, errorHandler(logger));

  app.use(websiteRoutes(services));
  return app;
}
