import type { Connection, Types } from 'mongoose';
import type { AccountsService } from '../accounts/accounts.service';
import type { Mailer } from '../infra/mailer';
import type { Clock } from '../lib/clock';
import { pickLocalized } from '../lib/localized-text';
import { notFound } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { providerModel } from '../providers/provider.model';
import { STALE_AFTER_DAYS, isStale, staleBefore } from './course-facts';
import { courseModel } from './course.model';

export const STALE_REMINDER_JOB = 'stale-reminders';
export const STALE_REMINDER_EVERY_MS = 7 * 24 * 3600_000;
/** The list shows this many listings at most (oldest first): enough to act on, small enough for one page. */
const MAX_LISTED = 2000;

export type StaleGroup = {
  providerId: string;
  providerName: string;
  deactivated: boolean;
  staleCount: number;
  oldest: Date;
  courses: Array<{ id: string; title: string; lastConfirmedAt: Date; stale: boolean }>;
};

function germanDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The reminder's plain text: German first, then English, with the link to the provider workspace. */
export function staleReminderMail(providerName: string, courses: Array<{ title: string; lastConfirmedAt: Date }>, workspaceUrl: string) {
  const list = courses.map((course) => `- ${course.title} (${germanDate(course.lastConfirmedAt)})`).join('\n');
  const text = [
    'Guten Tag,',
    '',
    `${courses.length} Kurs(e) von „${providerName}“ wurden seit mehr als ${STALE_AFTER_DAYS} Tagen nicht bestätigt.`,
    'Bitte prüfen Sie die Angaben und bestätigen Sie sie (oder ändern Sie sie):',
    '',
    list,
    '',
    `Anmelden: ${workspaceUrl}`,
    '',
    'Vielen Dank!',
    '',
    '----',
    '',
    'Hello,',
    '',
    `${courses.length} course(s) of "${providerName}" have not been confirmed for more than ${STALE_AFTER_DAYS} days.`,
    'Please check the details and confirm them (or update them):',
    '',
    list,
    '',
    `Log in: ${workspaceUrl}`,
    '',
    'Thank you!',
    '',
    '-- Sprachkursfinder',
  ].join('\n');
  return { subject: 'Bitte Kurse bestätigen / Please confirm your courses', text };
}

/**
 * Stale listings for the admins (published courses by age of confirmation, per provider) and the reminders to a
 * provider's users, by hand from /admin/stale and weekly as a scheduled job.
 */
export function createStaleListings(deps: { db: Connection; clock: Clock; accounts: AccountsService; mailer: Mailer; publicUrl: string }) {
  const courses = courseModel(deps.db);
  const providers = providerModel(deps.db);

  async function overview(): Promise<StaleGroup[]> {
    const now = deps.clock.now();
    const rows = await courses.find({ status: 'published' }, { title: 1, providerId: 1, lastConfirmedAt: 1 }).sort({ lastConfirmedAt: 1, _id: 1 }).limit(MAX_LISTED).lean();
    const owners = new Map(
      (await providers.find({ _id: { $in: [...new Set(rows.map((row) => row.providerId.toString()))] } }, { name: 1, deactivatedAt: 1 }).lean()).map((p) => [p._id.toString(), p]),
    );
    const groups = new Map<string, StaleGroup>();
    for (const row of rows) {
      const key = row.providerId.toString();
      const owner = owners.get(key);
      let group = groups.get(key);
      if (!group) {
        group = { providerId: key, providerName: owner?.name ?? '?', deactivated: Boolean(owner?.deactivatedAt), staleCount: 0, oldest: row.lastConfirmedAt, courses: [] };
        groups.set(key, group);
      }
      const stale = isStale(row.lastConfirmedAt, now);
      if (stale) group.staleCount += 1;
      group.courses.push({ id: row._id.toString(), title: pickLocalized(row.title, 'de'), lastConfirmedAt: row.lastConfirmedAt, stale });
    }
    // Rows came oldest first, so groups are in order of their oldest listing.
    return [...groups.values()];
  }

  /** Mails one provider's active users about its stale listings; returns the addresses written to (none: nothing stale). */
  async function remind(providerId: string): Promise<string[]> {
    if (!isObjectId(providerId)) throw notFound('Provider');
    const provider = await providers.findById(providerId, { name: 1, deactivatedAt: 1 }).lean();
    if (!provider) throw notFound('Provider');
    if (provider.deactivatedAt) return [];
    const stale = await courses
      .find({ providerId: provider._id, status: 'published', lastConfirmedAt: { $lt: staleBefore(deps.clock.now()) } }, { title: 1, lastConfirmedAt: 1 })
      .sort({ lastConfirmedAt: 1 })
      .lean();
    if (stale.length === 0) return [];
    const recipients = await deps.accounts.activeEmailsOfProvider(providerId);
    const mail = staleReminderMail(provider.name, stale.map((course) => ({ title: pickLocalized(course.title, 'de'), lastConfirmedAt: course.lastConfirmedAt })), `${deps.publicUrl}/provider`);
    for (const to of recipients) await deps.mailer.send({ to, ...mail });
    return recipients;
  }

  /** The weekly job: every active provider with stale listings gets one reminder per user. */
  async function remindAll(): Promise<number> {
    const ids: Types.ObjectId[] = await courses.distinct('providerId', { status: 'published', lastConfirmedAt: { $lt: staleBefore(deps.clock.now()) } });
    let sent = 0;
    for (const id of ids) sent += (await remind(id.toString())).length;
    return sent;
  }

  return { overview, remind, remindAll };
}

export type StaleListings = ReturnType<typeof createStaleListings>;
