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
import { createSearchService } from './search/search.service';
import { createSearchSync, type SearchSyncOptions } from './search/search-sync';
import { createMailer } from './infra/mailer';
import { createRebuildRunner } from './search/search-rebuild';
import { STALE_REMINDER_EVERY_MS, STALE_REMINDER_JOB, createStaleListings } from './courses/stale-listings';

export type AppDeps = {
  config: Config;
  db: Connection;
  engine: SearchEngine;
  clock: Clock;
  logger: Logger;
  syncOptions?: SearchSyncOptions;
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
  const search = createSearchService({ engine, clock });
  const catalog = createPublicCatalog({ db, clock });
  const searchCalendar = createSearchCalendar({ db, search });
  const mailer = createMailer({ smtpUrl: deps.config.mail.smtpUrl, from: deps.config.mail.from, dataDir: deps.config.dataDir, logger });
  const rebuilds = createRebuildRunner({ sync, clock, logger });
  const staleListings = createStaleListings({ db, clock, accounts, mailer, publicUrl: deps.config.publicUrl });
  jobs.register({ name: STALE_REMINDER_JOB, everyMs: STALE_REMINDER_EVERY_MS, run: () => staleListings.remindAll() });
  return { deps, sync, jobs, audit, accounts, providers, courses, search, catalog, searchCalendar, mailer, rebuilds, staleListings };
}

export type AppServices = ReturnType<typeof createAppServices>;
