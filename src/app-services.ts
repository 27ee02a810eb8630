import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { SearchEngine } from './infra/meili';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { createAccountsService } from './accounts/accounts.service';
import { createAuditService } from './audit/audit.service';
import { createCoursesService } from './courses/courses.service';
import { createSearchCalendar } from './exports/search-calendar';
import { createProvidersService } from './providers/providers.service';
import { createPublicCatalog } from './providers/public-catalog';
import { createJobScheduler } from './infra/scheduled-jobs';
import { createClientKeys } from './lib/client-key';
import { sessionSecret } from './web/session';
import { createSearchService } from './search/search.service';
import { createSearchSync, type SearchSyncOptions } from './search/search-sync';
import { createHsdsService } from './hsds/hsds.service';
import { createClientsService, RETENTION_JOB } from './clients/clients.service';
import { createMatchingService } from './matching/matching.service';
import { createStatsRecorder, type RecorderOptions } from './stats/stats-recorder';
import { statsRetentionJob } from './stats/stats-retention';
import { createStatsService } from './stats/stats.service';
import { createMailer } from './infra/mailer';
import { createRebuildRunner } from './search/search-rebuild';
import { STALE_REMINDER_EVERY_MS, STALE_REMINDER_JOB, createStaleListings } from './courses/stale-listings';
import { createCourseCsvService } from './course-csv/course-csv.service';

export type AppDeps = {
  config: Config;
  db: Connection;
  engine: SearchEngine;
  clock: Clock;
  logger: Logger;
  syncOptions?: SearchSyncOptions;
  /** where the anonymous statistics are written (default `db`; tests point it at an unreachable server) */
  statsDb?: Connection;
  statsOptions?: Partial<RecorderOptions>;
};

/** Every use case, wired once; the web app, the CLI and the tests all use these. */
export function createAppServices(deps: AppDeps) {
  const { db, clock, engine, logger } = deps;
  const writeTimeoutMs = deps.config.writeTimeoutMs;
  const sync = createSearchSync({ db, engine, clock, logger, options: { writeTimeoutMs, ...deps.syncOptions } });
  const jobs = createJobScheduler({ db, clock, logger });
  const audit = createAuditService(db);
  const accounts = createAccountsService(db, clock, { tokenTtlHours: deps.config.tokenTtlHours, login: deps.config.login });
  const providers = createProvidersService({ db, clock, audit, onCoursesChanged: sync.kick, writeTimeoutMs });
  const courses = createCoursesService({ db, clock, audit, onCourseWritten: sync.kick, writeTimeoutMs });
  // Every search of the website and the API goes through the search service: recorded there, in one place.
  const stats = createStatsRecorder({ db: deps.statsDb ?? db, clock, logger, ...(deps.statsOptions ? { options: deps.statsOptions } : {}) });
  const search = createSearchService({ engine, clock, onSearch: stats.recordSearch });
  const catalog = createPublicCatalog({ db, clock });
  const searchCalendar = createSearchCalendar({ db, search });
  const hsds = createHsdsService({ db, clock, search, stateProvince: deps.config.openData.stateProvince });
  const matching = createMatchingService({ search, engine, clock });
  const clients = createClientsService({ db, clock, options: deps.config.clients });
  jobs.register({ name: RETENTION_JOB, everyMs: 6 * 3600_000, run: (now) => clients.deleteUnused(now) });
  const statistics = createStatsService({ db, clock, config: deps.config });
  jobs.register(statsRetentionJob({ db, clock }));
  // Keyed by the session secret (SESSION_SECRET or the one kept in DATA_DIR), shared by every instance.
  const clientKeys = createClientKeys(sessionSecret(deps.config), clock);
  const mailer = createMailer({ smtpUrl: deps.config.mail.smtpUrl, from: deps.config.mail.from, dataDir: deps.config.dataDir, logger });
  const rebuilds = createRebuildRunner({ sync, clock, logger });
  const staleListings = createStaleListings({ db, clock, accounts, mailer, publicUrl: deps.config.publicUrl });
  jobs.register({ name: STALE_REMINDER_JOB, everyMs: STALE_REMINDER_EVERY_MS, run: () => staleListings.remindAll() });
  const courseCsv = createCourseCsvService({ db, clock, courses });
  return { deps, sync, jobs, audit, accounts, providers, courses, search, catalog, searchCalendar, hsds, matching, clients, stats, statistics, clientKeys, mailer, rebuilds, staleListings, courseCsv };
}

export type AppServices = ReturnType<typeof createAppServices>;
