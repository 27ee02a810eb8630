import { Router } from 'express';
import type { Config } from '../config';
import { requestOrigin } from '../lib/request-origin';
import { MAX_RADIUS_KM } from '../search/search-query.schema';
import { HSDS_BASE_PATH } from './hsds.routes';
import { HSDS_VERSION, OPEN_DATA_PATH } from './hsds.service';
import { DEFAULT_PROXIMITY_METRES, MAX_PER_PAGE } from './hsds.schema';
import { TAXONOMY_VERSION } from './hsds-taxonomy';
import { openDataLicence } from './open-data-licence';

/** The version of the developers' page and the open-data interface it documents (its changelog names each). */
export const OPEN_DATA_VERSION = '1.0';

/** The developers' page: what is published, under which licence, the endpoints with examples and the HSDS mapping. */
export function openDataPages(config: Config): Router {
  const router = Router();
  const licence = openDataLicence(config.openData.licence);
  router.get(OPEN_DATA_PATH, (req, res) => {
    const origin = requestOrigin(req);
    res.render('open-data/index', {
      openData: {
        origin,
        hsdsBase: `${origin}${HSDS_BASE_PATH}`,
        licence,
        version: OPEN_DATA_VERSION,
        hsdsVersion: HSDS_VERSION,
        taxonomyVersion: TAXONOMY_VERSION,
        maxPerPage: MAX_PER_PAGE,
        defaultProximity: DEFAULT_PROXIMITY_METRES,
        maxProximity: MAX_RADIUS_KM * 1000,
      },
    });
  });
  return router;
}
