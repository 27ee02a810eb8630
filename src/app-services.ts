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
import { createCourseCsvService } from './course-csv/course-csv.service';

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
  const courseCsv = createCourseCsvService({ db, clock, courses });
  return { deps, sync, jobs, audit, accounts, providers, courses, search, catalog, searchCalendar, courseCsv };
}

export type AppServices = ReturnType<typeof createAppServices>;
