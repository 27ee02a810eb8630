import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Connection } from 'mongoose';
import { demoProviders } from '../../seed/demo/demo-data';
import type { AccountsService } from '../accounts/accounts.service';
import type { Role } from '../accounts/account.enums';
import { providerModel } from '../providers/provider.model';
import { userModel } from '../accounts/account.models';
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
  return { courses, accounts: DEMO_ACCOUNTS };
}

/** The claim of the one instance that loads the demo catalogue: several instances may start together on an empty database. */
type SeedMarker = { _id: string; holder: string; startedAt: Date; doneAt?: Date };
const DEMO_MARKER = 'demo';
const DUPLICATE_KEY = 11000;

export type DemoSeedOutcome =
  | { outcome: 'loaded'; courses: number }
  | { outcome: 'present' | 'catalog-not-empty' | 'loaded-by-another-instance' | 'still-loading-elsewhere' };

/**
 * `seedDemo` on an empty database, exactly once however many instances start at the same moment: the instance
 * that inserts the marker document (unique `_id`) loads the catalogue; the others wait until it is done
 * (at most `waitMs`, then start anyway), so they never load it a second time. A load that fails removes its
 * marker, so the next start tries again.
 */
export async function seedDemoOnce(db: Connection, accounts: AccountsService, now: Date, waitMs = 60_000): Promise<DemoSeedOutcome> {
  const markers = db.collection<SeedMarker>('seed_markers');
  const waitForOther = async (): Promise<DemoSeedOutcome> => {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if ((await markers.findOne({ _id: DEMO_MARKER }))?.doneAt) return { outcome: 'loaded-by-another-instance' };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { outcome: 'still-loading-elsewhere' };
  };
  const marker = await markers.findOne({ _id: DEMO_MARKER });
  if (marker?.doneAt) return { outcome: 'present' };
  if (marker) return waitForOther();
  if (!(await isCatalogEmpty(db))) return { outcome: 'catalog-not-empty' };
  try {
    await markers.insertOne({ _id: DEMO_MARKER, holder: randomUUID(), startedAt: new Date() });
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) return waitForOther();
    throw error;
  }
  try {
    const { courses } = await seedDemo(db, accounts, now);
    await markers.updateOne({ _id: DEMO_MARKER }, { $set: { doneAt: new Date() } });
    return { outcome: 'loaded', courses };
  } catch (error) {
    await markers.deleteOne({ _id: DEMO_MARKER }).catch(() => undefined);
    throw error;
  }
}

export async function isDemoLoaded(db: Connection): Promise<boolean> {
  return (await userModel(db).exists({ email: DEMO_ACCOUNTS[0]?.email })) !== null;
}

export async function isCatalogEmpty(db: Connection): Promise<boolean> {
  return (await providerModel(db).estimatedDocumentCount()) === 0;
}
