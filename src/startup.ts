import type { AppServices } from './app-services';
import type { Config } from './config';
import type { Logger } from './lib/logger';
import { suggestPlaces } from './places/places';
import { seedDemoOnce } from './seeding/demo-seed';

/**
 * What an instance does before it serves: the search index, the demo data (SEED_DEMO) and the ADMIN_EMAIL admin,
 * then the sync worker and the startup rebuild. Several instances may run this at the same moment against one
 * database: every step is idempotent (index creation tolerates "exists", the demo load is claimed by one instance,
 * the admin is created by whichever insert wins the unique index).
 */
export async function startInstance(services: AppServices, config: Config, logger: Logger): Promise<{ rebuilt: Promise<void> }> {
  const warn = (message: string) => (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : error }, message);
  // Degraded, not dead: writes work, search answers 503, and the sync worker creates the index when the engine answers.
  await services.sync.ensureIndex().catch(warn('search engine unreachable at start; search is unavailable until it answers'));
  if (config.seedDemo) {
    const seeded = await seedDemoOnce(services.deps.db, services.accounts, new Date());
    if (seeded.outcome === 'loaded') logger.info({ courses: seeded.courses }, 'demo data loaded');
    if (seeded.outcome === 'still-loading-elsewhere') logger.warn('another instance is still loading the demo data; starting anyway');
  }
  if (config.admin) {
    const created = await services.accounts.ensureUser({ email: config.admin.email.toLowerCase(), password: config.admin.password, role: 'admin' });
    if (created) logger.info({ email: created.email }, 'admin account created from ADMIN_EMAIL');
  }
  // Builds the offline place index (about 0.7 s) now rather than in the first search with a postcode.
  suggestPlaces('Landau');
  void services.search.warmUp().catch(warn('search segmenter warm-up failed (the first Japanese or Chinese query will be slow)'));
  services.sync.start();
  // Reminders and retention: every instance ticks, one claims each due run (src/infra/scheduled-jobs.ts).
  services.jobs.start();
  // Anonymous statistics: written in batches every 10 s (src/stats/stats-recorder.ts).
  services.stats.start();
  // Startup reconcile: a fresh index from MongoDB, swapped in while the old one keeps answering.
  const rebuilt = services.sync
    .rebuild()
    .then((result) => logger.info(result, 'search index rebuilt'))
    .catch(warn('search index rebuild failed; the sync worker keeps retrying'));
  return { rebuilt };
}
