import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/embedded/project-paths';
import { userModel } from '../accounts/account.models';
import { ROLES, type Role } from '../accounts/account.enums';
import { COURSE_STATUSES, type CourseStatus } from '../courses/course.enums';
import { courseModel } from '../courses/course.model';
import { providerModel } from '../providers/provider.model';
import type { AppServices } from '../app-services';
import { checkHealth, type Health } from './health.service';

const APP_VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';

export type SystemInfo = {
  health: Health;
  versions: { app: string; node: string; mongodb: string | null; meilisearch: string | null };
  counts: {
    providers: { active: number; deactivated: number };
    courses: Record<CourseStatus, number>;
    users: Record<Role, number>;
    /** counselors' client profiles (null while that feature's collection does not exist) */
    clients: number | null;
  };
};

function tally<K extends string>(keys: readonly K[], rows: Array<{ _id: string; n: number }>): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const row of rows) if ((keys as readonly string[]).includes(row._id)) counts[row._id as K] = row.n;
  return counts;
}

/** The admins' system overview: health, versions and counts. A part that cannot be read shows as unknown. */
export async function systemInfo(services: AppServices): Promise<SystemInfo> {
  const { db, engine } = services.deps;
  const health = await checkHealth(services);
  const mongoVersion = health.mongo === 'up' ? await db.db?.admin().command({ buildInfo: 1 }).then((info) => String(info.version), () => null) : null;
  const meiliVersion =
    health.search === 'up'
      ? await fetch(`${engine.url}/version`, { headers: engine.apiKey ? { Authorization: `Bearer ${engine.apiKey}` } : {}, signal: AbortSignal.timeout(1500) })
          .then(async (response) => ((await response.json()) as { pkgVersion?: string }).pkgVersion ?? null)
          .catch(() => null)
      : null;
  const counts: SystemInfo['counts'] = {
    providers: { active: 0, deactivated: 0 },
    courses: tally(COURSE_STATUSES, []),
    users: tally(ROLES, []),
    clients: null,
  };
  if (health.mongo === 'up') {
    const providers = providerModel(db);
    const [active, deactivated, courses, users, clients] = await Promise.all([
      providers.countDocuments({ deactivatedAt: { $exists: false } }),
      providers.countDocuments({ deactivatedAt: { $exists: true } }),
      courseModel(db).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]),
      userModel(db).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$role', n: { $sum: 1 } } }]),
      // Counselors' client profiles: admins see how many, never which (src/clients).
      services.clients.countsForAdmin(),
    ]);
    counts.providers = { active, deactivated };
    counts.courses = tally(COURSE_STATUSES, courses);
    counts.users = tally(ROLES, users);
    counts.clients = clients.profiles;
  }
  return { health, versions: { app: APP_VERSION, node: process.version, mongodb: mongoVersion ?? null, meilisearch: meiliVersion }, counts };
}
