import { randomUUID } from 'node:crypto';
import { seedDemoSearchEvents } from '../stats/demo-events';
import { DateTime } from 'luxon';
import type { Connection } from 'mongoose';
import { demoProviders } from '../../seed/demo/demo-data';
import type { AccountsService } from '../accounts/accounts.service';
import type { Role } from '../accounts/account.enums';
import { providerModel } from '../providers/provider.model';
import { apiTokenModel, userModel } from '../accounts/account.models';
import { auditModel } from '../audit/audit.model';
import { courseModel } from '../courses/course.model';
import { clientModel } from '../clients/client.models';
import type { ClientProfile } from '../matching/client-profile.schema';
import { importCatalog, type ImportCourse } from './catalog-import';

export const DEMO_DOMAIN = 'demo.sprachkursfinder.example';

export type DemoAccount = { role: Role; email: string; password: string; provider?: string };

const firstProvider = demoProviders[0];

/** One account per role; the provider account manages the first demo provider. Demo mode only. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: 'admin', email: `admin@${DEMO_DOMAIN}`, password: 'demo-admin-landau' },
  { role: 'counselor', email: `beratung@${DEMO_DOMAIN}`, password: 'demo-counselor-landau' },
  { role: 'provider', email: `${firstProvider?.key ?? 'provider'}@${DEMO_DOMAIN}`, password: 'demo-provider-landau', ...(firstProvider ? { provider: firstProvider.content.name } : {}) },
];

/** Demo data is relative to the day it is loaded, so it never ages (seed/demo/demo-types.ts). */
export function demoCatalog(now: Date) {
  const today = DateTime.fromJSDate(now, { zone: 'Europe/Berlin' }).startOf('day');
  const courses: ImportCourse[] = demoProviders.flatMap((provider, providerIndex) =>
    provider.courses.map(({ startInDays, durationDays, confirmedDaysAgo, ...content }) => {
      const start = today.plus({ days: startInDays });
      return {
        providerIndex,
        confirmedDaysAgo,
        content: { ...content, startDate: start.toISODate() ?? '', endDate: start.plus({ days: durationDays }).toISODate() ?? '' },
      };
    }),
  );
  return { providers: demoProviders.map((p) => ({ content: p.content, verified: p.verified })), courses };
}

/** Loads the demo catalogue and one account per role (a provider account for the first demo provider). */
export async function seedDemo(db: Connection, accounts: AccountsService, now: Date): Promise<{ courses: number; accounts: readonly DemoAccount[] }> {
  const catalog = demoCatalog(now);
  const { providerIds, courses } = await importCatalog(db, now, catalog.providers, catalog.courses);
  for (const account of DEMO_ACCOUNTS) {
    await accounts.ensureUser({
      email: account.email,
      password: account.password,
      role: account.role,
      ...(account.role === 'provider' ? { providerId: providerIds[0] } : {}),
    });
  }
  await seedDemoClients(db, now);
  // A few months of anonymous searches, so that the statistics dashboard of the demo shows something.
  await seedDemoSearchEvents(db, now);
  return { courses, accounts: DEMO_ACCOUNTS };
}

/** Two pseudonymous client profiles of the demo counselor (case numbers, no names), one with a shortlist. */
async function seedDemoClients(db: Connection, now: Date): Promise<void> {
  const counselor = await userModel(db).findOne({ email: DEMO_ACCOUNTS.find((a) => a.role === 'counselor')?.email }, { _id: 1 }).lean();
  if (!counselor) return;
  const shortlist = (await courseModel(db).find({ status: 'published', level: 'A1', 'childcare.available': true }, { _id: 1 }).sort({ startDate: 1 }).limit(2).lean()).map((course, index) => ({
    courseId: course._id,
    note: index === 0 ? 'Bitte vorher anrufen und nach einem Platz in der Kinderbetreuung fragen.' : '',
  }));
  const profiles: Array<{ label: string; note: string; profile: ClientProfile; shortlist: typeof shortlist }> = [
    {
      label: 'MBE-2027-014',
      note: 'Kind 14 Monate; kann nur Di und Do vormittags.',
      profile: { level: 'A1', slots: ['tue-morning', 'thu-morning'], childAgesMonths: [14], womenOnly: 'preferred', location: { postcode: '76829' }, maxDistanceKm: 15, onlinePossible: false, freeOnly: false, lang: 'ar' },
      shortlist,
    },
    {
      label: 'JMD-0815',
      note: 'Arbeitet vormittags; sucht abends oder online.',
      profile: { level: 'B1', slots: ['mon-evening', 'tue-evening', 'wed-evening', 'thu-evening'], childAgesMonths: [], womenOnly: 'no', location: { postcode: '67655' }, maxDistanceKm: 25, onlinePossible: true, freeOnly: false, lang: 'uk' },
      shortlist: [],
    },
  ];
  await clientModel(db).insertMany(profiles.map((p) => ({ ...p, ownerId: counselor._id, lastUsedAt: now })));
}

/** The claim of the one instance that loads the demo catalogue: several instances may start together on an empty database. */
type SeedMarker = { _id: string; holder: string; startedAt: Date; doneAt?: Date };
const DEMO_MARKER = 'demo';
const DUPLICATE_KEY = 11000;
/**
 * A claim without `doneAt` this old belongs to an instance that died while loading (killed between the claim and
 * its `doneAt`): the load takes about a second, so half a minute leaves a wide margin for a slow one.
 */
const ABANDONED_AFTER_MS = 30_000;

export type DemoSeedOutcome =
  | { outcome: 'loaded'; courses: number }
  | { outcome: 'present' | 'catalog-not-empty' | 'loaded-by-another-instance' | 'still-loading-elsewhere' };

export type DemoSeedOptions = {
  /** how long an instance waits for another one's load before it starts anyway */
  waitMs?: number;
  /** after how long a claim without `doneAt` counts as abandoned and is taken over */
  abandonedAfterMs?: number;
};

/**
 * `seedDemo` on an empty database, exactly once however many instances start at the same moment: the instance
 * that inserts the marker document (unique `_id`) loads the catalogue; the others wait until it is done
 * (at most `waitMs`, then start anyway), so they never load it a second time. A load that fails removes its
 * marker, so the next start tries again. A claim left by an instance that died mid-load (no `doneAt`, older than
 * `abandonedAfterMs`) is taken over by one instance (a conditional update), which removes what was half loaded
 * and loads the catalogue itself.
 */
export async function seedDemoOnce(db: Connection, accounts: AccountsService, now: Date, options: DemoSeedOptions = {}): Promise<DemoSeedOutcome> {
  const { waitMs = 60_000, abandonedAfterMs = ABANDONED_AFTER_MS } = options;
  const markers = db.collection<SeedMarker>('seed_markers');
  const holder = randomUUID();
  const load = async (): Promise<DemoSeedOutcome> => {
    try {
      const { courses } = await seedDemo(db, accounts, now);
      await markers.updateOne({ _id: DEMO_MARKER, holder }, { $set: { doneAt: new Date() } });
      return { outcome: 'loaded', courses };
    } catch (error) {
      await markers.deleteOne({ _id: DEMO_MARKER, holder }).catch(() => undefined);
      throw error;
    }
  };
  /** Claims an abandoned marker; only one of several instances trying at once gets it. */
  const takeOver = async (): Promise<boolean> => {
    const taken = await markers.findOneAndUpdate(
      { _id: DEMO_MARKER, doneAt: { $exists: false }, startedAt: { $lt: new Date(Date.now() - abandonedAfterMs) } },
      { $set: { holder, startedAt: new Date() } },
    );
    return taken !== null;
  };
  const waitForOther = async (): Promise<DemoSeedOutcome> => {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const marker = await markers.findOne({ _id: DEMO_MARKER });
      if (marker?.doneAt) return { outcome: 'loaded-by-another-instance' };
      if (marker && marker.startedAt.getTime() < Date.now() - abandonedAfterMs && (await takeOver())) {
        await removeHalfLoadedDemo(db);
        return load();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { outcome: 'still-loading-elsewhere' };
  };
  const marker = await markers.findOne({ _id: DEMO_MARKER });
  if (marker?.doneAt) return { outcome: 'present' };
  if (marker) return waitForOther();
  if (!(await isCatalogEmpty(db))) return { outcome: 'catalog-not-empty' };
  try {
    await markers.insertOne({ _id: DEMO_MARKER, holder, startedAt: new Date() });
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) return waitForOther();
    throw error;
  }
  return load();
}

/**
 * What an instance that died mid-load left: the catalogue import draws fresh ids, so loading again over it would
 * duplicate every provider and course. Demo providers are known by name (each ends in "(Demo)"), the demo accounts by
 * email; their courses, audit entries and tokens go with them. Courses another instance's worker already pushed
 * to search leave the index with the rebuild that follows every start (src/startup.ts).
 */
async function removeHalfLoadedDemo(db: Connection): Promise<void> {
  const providerIds = (await providerModel(db).find({ name: { $in: demoProviders.map((p) => p.content.name) } }, { _id: 1 }).lean()).map((p) => p._id);
  const courseIds = (await courseModel(db).find({ providerId: { $in: providerIds } }, { _id: 1 }).lean()).map((c) => c._id);
  const userIds = (await userModel(db).find({ email: { $in: DEMO_ACCOUNTS.map((a) => a.email) } }, { _id: 1 }).lean()).map((u) => u._id);
  await auditModel(db).deleteMany({ entityId: { $in: [...providerIds, ...courseIds] }, 'actor.role': 'system' });
  await courseModel(db).deleteMany({ _id: { $in: courseIds } });
  await providerModel(db).deleteMany({ _id: { $in: providerIds } });
  await apiTokenModel(db).deleteMany({ userId: { $in: userIds } });
  await clientModel(db).deleteMany({ ownerId: { $in: userIds } });
  await userModel(db).deleteMany({ _id: { $in: userIds } });
}

export async function isDemoLoaded(db: Connection): Promise<boolean> {
  return (await userModel(db).exists({ email: DEMO_ACCOUNTS[0]?.email })) !== null;
}

export async function isCatalogEmpty(db: Connection): Promise<boolean> {
  return (await providerModel(db).estimatedDocumentCount()) === 0;
}
