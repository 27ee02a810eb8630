import { createHash, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { Types, type Connection } from 'mongoose';
import type { Actor } from '../accounts/actor';
import type { Clock } from '../lib/clock';
import { AppError, badRequest, notFound } from '../lib/errors';
import { applyMergePatch } from '../lib/merge-patch';
import { isObjectId } from '../lib/object-id';
import { parseInput } from '../lib/validation';
import type { ClientProfile } from '../matching/client-profile.schema';
import { clientModel, shareLinkModel, type ClientRecord, type ShareLinkRecord } from './client.models';
import { clientBodySchema, SHORTLIST_MAX, type ClientBody, type ClientResponse, type ShortlistItem } from './client.schema';

const DAY_MS = 86_400_000;
/** 32 random bytes: 256 bits, far beyond guessing; base64url keeps the link short and safe in a path. */
const SHARE_TOKEN_BYTES = 32;

export type ClientsOptions = { retentionDays: number; shareLinkDays: number };
export type ClientsDeps = { db: Connection; clock: Clock; options: ClientsOptions };
export type ShareLink = { token: string; expiresAt: Date };
/** What a share link opens: the handout's language and shortlist, and nothing that names the client. */
export type SharedHandout = { lang: ClientProfile['lang']; shortlist: ShortlistItem[] };

export const RETENTION_JOB = 'client-retention';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const PROFILE_KEYS = ['level', 'slots', 'childAgesMonths', 'womenOnly', 'location', 'maxDistanceKm', 'onlinePossible', 'freeOnly', 'startBy', 'lang'] as const;

function profileOf(body: ClientBody): ClientProfile {
  const profile: Record<string, unknown> = {};
  for (const key of PROFILE_KEYS) if (body[key] !== undefined) profile[key] = body[key];
  return profile as ClientProfile;
}

/** The body a stored client would be written as: the input a PATCH merges into. */
function bodyOf(record: ClientRecord): ClientBody {
  return { ...record.profile, label: record.label, note: record.note };
}

function present(record: ClientRecord, share: ShareLinkRecord | null, now: Date): ClientResponse {
  const live = share && !share.revokedAt && share.expiresAt > now ? { expiresAt: share.expiresAt.toISOString() } : null;
  return {
    id: record._id.toString(),
    ...record.profile,
    label: record.label,
    note: record.note,
    shortlist: record.shortlist.map((item) => ({ courseId: item.courseId.toString(), note: item.note })),
    share: live,
    lastUsedAt: record.lastUsedAt.toISOString(),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/**
 * Counselors' pseudonymous client profiles, shortlists and share links (api.md → Client profiles and shortlists).
 * A profile exists only for the counselor who created it: for anyone else, admins included, it is not found. Every
 * use by its counselor moves `lastUsedAt`, the clock of the retention job that deletes forgotten profiles.
 */
export function createClientsService(deps: ClientsDeps) {
  const clients = clientModel(deps.db);
  const links = shareLinkModel(deps.db);
  const { retentionDays, shareLinkDays } = deps.options;

  function todayInBerlin(): string {
    return DateTime.fromJSDate(deps.clock.now(), { zone: 'Europe/Berlin' }).toISODate() ?? '';
  }

  function checkStartBy(body: ClientBody): void {
    if (body.startBy && body.startBy < todayInBerlin()) {
      throw badRequest('invalid_body', 'Invalid request body: startBy.', [{ param: 'startBy', message: 'must not be before today' }]);
    }
  }

  /** The profile if `actor` owns it; otherwise not found, whoever asks (no hint that it exists). */
  async function owned(actor: Actor, id: string): Promise<ClientRecord> {
    const record = isObjectId(id) ? await clients.findOne({ _id: id, ownerId: actor.userId }).lean<ClientRecord>() : null;
    if (!record) throw notFound('Client profile');
    return record;
  }

  /** Marks the profile as used now and returns it as stored after `update`. */
  async function touch(actor: Actor, id: string, update: Record<string, unknown> = {}): Promise<ClientRecord> {
    const record = isObjectId(id)
      ? await clients.findOneAndUpdate({ _id: id, ownerId: actor.userId }, { ...update, $set: { ...((update.$set as object | undefined) ?? {}), lastUsedAt: deps.clock.now() } }, { returnDocument: 'after' }).lean<ClientRecord>()
      : null;
    if (!record) throw notFound('Client profile');
    return record;
  }

  async function respond(record: ClientRecord): Promise<ClientResponse> {
    return present(record, await links.findOne({ clientId: record._id }).lean<ShareLinkRecord>(), deps.clock.now());
  }

  async function list(actor: Actor): Promise<ClientResponse[]> {
    const records = await clients.find({ ownerId: actor.userId }).sort({ lastUsedAt: -1 }).lean<ClientRecord[]>();
    const shares = await links.find({ clientId: { $in: records.map((r) => r._id) } }).lean<ShareLinkRecord[]>();
    const byClient = new Map(shares.map((s) => [s.clientId.toString(), s]));
    const now = deps.clock.now();
    return records.map((record) => present(record, byClient.get(record._id.toString()) ?? null, now));
  }

  async function create(actor: Actor, body: ClientBody): Promise<ClientResponse> {
    checkStartBy(body);
    const now = deps.clock.now();
    const [created] = await clients.create([{ ownerId: actor.userId, label: body.label, note: body.note, profile: profileOf(body), shortlist: [], lastUsedAt: now }]);
    return present(created!.toObject<ClientRecord>(), null, now);
  }

  async function get(actor: Actor, id: string): Promise<ClientResponse> {
    return respond(await touch(actor, id));
  }

  /** The stored profile, for matching and the handout; counts as a use. */
  async function profile(actor: Actor, id: string): Promise<ClientRecord> {
    return touch(actor, id);
  }

  /** A JSON merge patch over the stored fields, validated as a whole like a new profile. */
  async function update(actor: Actor, id: string, patch: Record<string, unknown>): Promise<ClientResponse> {
    const current = await owned(actor, id);
    const body = parseInput(clientBodySchema, applyMergePatch(bodyOf(current), patch), 'body');
    return replace(actor, id, body);
  }

  /** Writes every field of the profile (the counselor's form sends them all). */
  async function replace(actor: Actor, id: string, body: ClientBody): Promise<ClientResponse> {
    checkStartBy(body);
    return respond(await touch(actor, id, { $set: { label: body.label, note: body.note, profile: profileOf(body) } }));
  }

  /** Deletes the profile with its shortlist (inside it) and its share link. */
  async function remove(actor: Actor, id: string): Promise<void> {
    const record = await owned(actor, id);
    await clients.deleteOne({ _id: record._id, ownerId: actor.userId });
    await links.deleteMany({ clientId: record._id });
  }

  async function setShortlist(actor: Actor, id: string, items: ShortlistItem[]): Promise<ClientResponse> {
    const shortlist = items.map((item) => ({ courseId: new Types.ObjectId(item.courseId), note: item.note }));
    return respond(await touch(actor, id, { $set: { shortlist } }));
  }

  /** Adds a course at the end of the shortlist (a course already on it stays where it is). */
  async function addToShortlist(actor: Actor, id: string, courseId: string): Promise<ClientResponse> {
    const record = await owned(actor, id);
    const items = record.shortlist.map((item) => ({ courseId: item.courseId.toString(), note: item.note }));
    if (items.some((item) => item.courseId === courseId)) return respond(await touch(actor, id));
    if (items.length >= SHORTLIST_MAX) throw new AppError('shortlist_full', `A shortlist holds at most ${SHORTLIST_MAX} courses.`, 409);
    return setShortlist(actor, id, [...items, { courseId, note: '' }]);
  }

  /** A new link replaces the client's old one (one per client); the token is returned once and stored only hashed. */
  async function createShare(actor: Actor, id: string): Promise<ShareLink> {
    const record = await touch(actor, id);
    const token = randomBytes(SHARE_TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(deps.clock.now().getTime() + shareLinkDays * DAY_MS);
    await links.findOneAndUpdate(
      { clientId: record._id },
      { $set: { ownerId: record.ownerId, tokenHash: hashToken(token), expiresAt }, $unset: { revokedAt: 1 } },
      { upsert: true },
    );
    return { token, expiresAt };
  }

  /** Revokes the link: it then answers 410 (gone) until a new one replaces it or the profile is deleted. */
  async function revokeShare(actor: Actor, id: string): Promise<void> {
    const record = await touch(actor, id);
    await links.updateOne({ clientId: record._id, revokedAt: { $exists: false } }, { $set: { revokedAt: deps.clock.now() } });
  }

  /**
   * What `/s/:token` shows: `found` for a live link, `gone` for an expired or revoked one, `missing` for a token no
   * link has (never issued, or replaced by a newer link). The answer carries only the handout's language and shortlist.
   */
  async function openShare(token: string): Promise<{ status: 'found'; handout: SharedHandout } | { status: 'gone' } | { status: 'missing' }> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'missing' };
    const link = await links.findOne({ tokenHash: hashToken(token) }).lean<ShareLinkRecord>();
    if (!link) return { status: 'missing' };
    if (link.revokedAt || link.expiresAt <= deps.clock.now()) return { status: 'gone' };
    const record = await clients.findById(link.clientId).lean<ClientRecord>();
    if (!record) return { status: 'missing' };
    return { status: 'found', handout: { lang: record.profile.lang, shortlist: record.shortlist.map((item) => ({ courseId: item.courseId.toString(), note: item.note })) } };
  }

  /** For the admin pages: how much is stored, and nothing about any one client. */
  async function countsForAdmin(): Promise<{ profiles: number; counselors: number; shortlistedCourses: number; liveShareLinks: number }> {
    const now = deps.clock.now();
    const [profiles, counselors, shortlisted, liveShareLinks] = await Promise.all([
      clients.countDocuments(),
      clients.distinct('ownerId'),
      clients.aggregate<{ n: number }>([{ $group: { _id: null, n: { $sum: { $size: '$shortlist' } } } }]),
      links.countDocuments({ revokedAt: { $exists: false }, expiresAt: { $gt: now } }),
    ]);
    return { profiles, counselors: counselors.length, shortlistedCourses: shortlisted[0]?.n ?? 0, liveShareLinks };
  }

  /**
   * Retention: deletes the profiles unused for `retentionDays` and their share links (their shortlists live inside
   * them), and nothing else. A profile used again between the look-up and the delete is kept, and so is its link.
   */
  async function deleteUnused(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const expired = await clients.find({ lastUsedAt: { $lt: cutoff } }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>();
    if (expired.length === 0) return 0;
    const ids = expired.map((r) => r._id);
    const { deletedCount } = await clients.deleteMany({ _id: { $in: ids }, lastUsedAt: { $lt: cutoff } });
    const kept = new Set((await clients.find({ _id: { $in: ids } }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>()).map((r) => r._id.toString()));
    await links.deleteMany({ clientId: { $in: ids.filter((id) => !kept.has(id.toString())) } });
    return deletedCount;
  }

  return { list, create, get, profile, update, replace, remove, setShortlist, addToShortlist, createShare, revokeShare, openShare, countsForAdmin, deleteUnused };
}

export type ClientsService = ReturnType<typeof createClientsService>;
