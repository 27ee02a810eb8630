import { isDeepStrictEqual } from 'node:util';
import { Types, type Connection } from 'mongoose';
import type { Actor } from '../accounts/actor';
import { assertCanManageProvider, canManageProvider } from '../accounts/permissions';
import type { AuditService } from '../audit/audit.service';
import { changedFields, fieldChanges } from '../lib/changed-fields';
import type { Clock } from '../lib/clock';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { applyMergePatch } from '../lib/merge-patch';
import { boundedTransaction } from '../infra/mongo';
import { isObjectId } from '../lib/object-id';
import { parseInput } from '../lib/validation';
import { providerModel } from '../providers/provider.model';
import { courseModel, indexMark, type CourseRecord } from './course.model';
import { isPubliclyVisible } from './public-visibility';
import { contentOf, toCourseResponse, type CourseResponse } from './course.presenter';
import { courseContentSchema, type CourseContent, type CreateCourseBody } from './course.schema';

export type CoursesDeps = {
  db: Connection;
  clock: Clock;
  audit: AuditService;
  /** called after a write committed, so the search sync can push it right away */
  onCourseWritten: () => void;
  /** time limit of one write transaction (WRITE_TIMEOUT_MS) */
  writeTimeoutMs: number;
};

function versionConflict(currentVersion: number) {
  return conflict('version_conflict', 'This course was changed by someone else in the meantime. Reload it and apply your change again.', {
    currentVersion,
  });
}

export function createCoursesService(deps: CoursesDeps) {
  const courses = courseModel(deps.db);
  const providers = providerModel(deps.db);

  async function findRecord(id: string): Promise<CourseRecord> {
    const course = isObjectId(id) ? await courses.findById(id).lean() : null;
    if (!course) throw notFound('Course');
    return course;
  }

  async function owningProviderId(actor: Actor, requested: string | undefined): Promise<string> {
    if (actor.role === 'provider') {
      if (!actor.providerId) throw forbidden('Your account is not linked to a provider.');
      if (requested && requested !== actor.providerId) throw forbidden('You can only add courses to your own organisation.');
      return actor.providerId;
    }
    if (actor.role !== 'admin') throw forbidden('Only providers and administrators write courses.');
    if (!requested) throw badRequest('invalid_body', 'Invalid request body: providerId.', [{ param: 'providerId', message: 'is required for administrators' }]);
    if (!(await providers.exists({ _id: requested }))) {
      throw badRequest('invalid_body', 'Invalid request body: providerId.', [{ param: 'providerId', message: 'is not a known provider' }]);
    }
    return requested;
  }

  async function create(actor: Actor, input: CreateCourseBody): Promise<CourseResponse> {
    const { providerId: requested, ...content } = input;
    const providerId = await owningProviderId(actor, requested);
    const now = deps.clock.now();
    const _id = new Types.ObjectId();
    await boundedTransaction(deps.db, deps.writeTimeoutMs, async (session) => {
      await courses.create(
        [{ _id, providerId, ...content, seats: { ...content.seats, updatedAt: now }, version: 1, lastConfirmedAt: now, search: indexMark(1) }],
        { session },
      );
      await deps.audit.record({ entity: 'course', entityId: _id, providerId: new Types.ObjectId(providerId), action: 'create', fields: Object.keys(content).sort() }, actor, now, session);
    });
    deps.onCourseWritten();
    return toCourseResponse(await findRecord(_id.toString()), now);
  }

  /**
   * Creates several courses at once, all or none (one transaction), each exactly as `create` would: version 1,
   * marked for the search index, an audit entry each. The caller has validated the contents (CSV import).
   */
  async function createMany(actor: Actor, items: ReadonlyArray<{ providerId: string; content: CourseContent }>): Promise<string[]> {
    for (const item of items) assertCanManageProvider(actor, item.providerId);
    if (items.length === 0) return [];
    const now = deps.clock.now();
    const docs = items.map(({ providerId, content }) => ({
      _id: new Types.ObjectId(),
      providerId: new Types.ObjectId(providerId),
      ...content,
      seats: { ...content.seats, updatedAt: now },
      version: 1,
      lastConfirmedAt: now,
      search: indexMark(1),
    }));
    await boundedTransaction(deps.db, deps.writeTimeoutMs, async (session) => {
      await courses.insertMany(docs, { session, ordered: true });
      const events = docs.map((doc, i) => ({
        entity: 'course' as const,
        entityId: doc._id,
        providerId: doc.providerId,
        action: 'create' as const,
        fields: Object.keys(items[i]?.content ?? {}).sort(),
      }));
      await deps.audit.recordMany(events, actor, now, session);
    });
    deps.onCourseWritten();
    return docs.map((doc) => doc._id.toString());
  }

  /**
   * Writes a new version of a course if, and only if, nobody else wrote since `expected`:
   * the version check is part of the update's filter, so two editors can never overwrite each other.
   */
  async function writeVersion(
    actor: Actor,
    current: CourseRecord,
    next: CourseContent,
    action: 'update' | 'archive' | 'confirm',
    fields: string[],
  ): Promise<CourseResponse> {
    const now = deps.clock.now();
    const version = current.version + 1;
    const seatsChanged = !isDeepStrictEqual(contentOf(current).seats, next.seats);
    const replacement = {
      providerId: current.providerId,
      ...next,
      seats: { ...next.seats, ...(seatsChanged ? { updatedAt: now } : current.seats?.updatedAt ? { updatedAt: current.seats.updatedAt } : {}) },
      version,
      // domain.md: a listing is confirmed when its provider edits or confirms it; an admin's fix or an archive is not a confirmation.
      lastConfirmedAt: action === 'confirm' || (action === 'update' && actor.role === 'provider') ? now : current.lastConfirmedAt,
      search: indexMark(version),
      createdAt: current.createdAt,
      updatedAt: now,
    };
    await boundedTransaction(deps.db, deps.writeTimeoutMs, async (session) => {
      const result = await courses.replaceOne({ _id: current._id, version: current.version }, replacement, { session, timestamps: false });
      if (result.matchedCount === 0) {
        const latest = await courses.findById(current._id, { version: 1 }, { session }).lean();
        throw versionConflict(latest?.version ?? current.version);
      }
      const changes = fieldChanges(contentOf(current), next);
      await deps.audit.record({ entity: 'course', entityId: current._id, providerId: current.providerId, action, fields, changes }, actor, now, session);
    });
    deps.onCourseWritten();
    return toCourseResponse(await findRecord(current._id.toString()), now);
  }

  /** The stored content as it is (it was validated when it was written). */
  function storedContent(course: CourseRecord): CourseContent {
    return contentOf(course) as CourseContent;
  }

  async function loadForWrite(actor: Actor, id: string, expected: number | undefined): Promise<CourseRecord> {
    const current = await findRecord(id);
    assertCanManageProvider(actor, current.providerId.toString());
    if (expected !== undefined && expected !== current.version) throw versionConflict(current.version);
    return current;
  }

  async function update(actor: Actor, id: string, patch: Record<string, unknown>, expected: number): Promise<CourseResponse> {
    const current = await loadForWrite(actor, id, expected);
    if ('providerId' in patch) {
      throw badRequest('invalid_body', 'Invalid request body: providerId.', [{ param: 'providerId', message: 'cannot be changed' }]);
    }
    const before = contentOf(current);
    const next = parseInput(courseContentSchema, applyMergePatch(before, patch), 'body');
    return writeVersion(actor, current, next, 'update', changedFields(before, next));
  }

  async function archive(actor: Actor, id: string, expected: number | undefined): Promise<void> {
    const current = await loadForWrite(actor, id, expected);
    if (current.status === 'archived') return;
    // Stored content is not validated again: archiving must work even for a course saved under older, looser rules.
    await writeVersion(actor, current, { ...storedContent(current), status: 'archived' }, 'archive', ['status']);
  }

  async function confirm(actor: Actor, id: string): Promise<CourseResponse> {
    const current = await loadForWrite(actor, id, undefined);
    return writeVersion(actor, current, storedContent(current), 'confirm', ['lastConfirmedAt']);
  }

  /**
   * A publicly visible course (src/courses/public-visibility.ts) for everyone; drafts, archived courses and those of a
   * deactivated provider only for their provider and admins.
   */
  async function getVisible(actor: Actor | undefined, id: string): Promise<CourseResponse> {
    const course = await findRecord(id);
    const provider = await providers.findById(course.providerId, { name: 1, deactivatedAt: 1 }).lean();
    if (!isPubliclyVisible(course, provider) && !canManageProvider(actor, course.providerId.toString())) throw notFound('Course');
    return toCourseResponse(course, deps.clock.now(), provider?.name ?? '');
  }

  /** The workspace's list: one organisation's courses (archived ones only when asked), oldest confirmation first. */
  async function listOwn(actor: Actor, providerId: string, which: 'current' | 'archived'): Promise<CourseRecord[]> {
    assertCanManageProvider(actor, providerId);
    const status = which === 'archived' ? { $eq: 'archived' as const } : { $ne: 'archived' as const };
    return courses.find({ providerId, status }).sort({ lastConfirmedAt: 1, _id: 1 }).lean();
  }

  /** Replaces the whole content (the editor's save), under the same version check as a patch. */
  async function replaceContent(actor: Actor, id: string, content: unknown, expected: number): Promise<CourseResponse> {
    const current = await loadForWrite(actor, id, expected);
    const before = contentOf(current);
    const next = parseInput(courseContentSchema, content, 'body');
    return writeVersion(actor, current, next, 'update', changedFields(before, next));
  }

  /** The dashboard's in-place numbers: free seats and waiting list only, nothing else moves. */
  async function setSeats(actor: Actor, id: string, counts: { available?: number; waitlist?: number }, expected: number): Promise<CourseResponse> {
    const current = await loadForWrite(actor, id, expected);
    const before = storedContent(current);
    const next = parseInput(courseContentSchema, { ...before, seats: { ...before.seats, ...counts } }, 'body');
    return writeVersion(actor, current, next, 'update', changedFields(contentOf(current), next));
  }

  /** Publish, or take back to draft: a published course must meet every rule, so the content is checked again. */
  async function setStatus(actor: Actor, id: string, status: 'draft' | 'published', expected: number | undefined): Promise<CourseResponse> {
    const current = await loadForWrite(actor, id, expected);
    const next = parseInput(courseContentSchema, { ...contentOf(current), status }, 'body');
    return writeVersion(actor, current, next, 'update', ['status']);
  }

  /** A new draft with the same content, for the next term's course. */
  async function duplicate(actor: Actor, id: string): Promise<CourseResponse> {
    const current = await findRecord(id);
    assertCanManageProvider(actor, current.providerId.toString());
    return create(actor, { ...storedContent(current), status: 'draft', providerId: current.providerId.toString() });
  }

  /** "Still current" for every course of the organisation that is not archived. */
  async function confirmAll(actor: Actor, providerId: string): Promise<number> {
    const own = await listOwn(actor, providerId, 'current');
    for (const course of own) await writeVersion(actor, course, storedContent(course), 'confirm', ['lastConfirmedAt']);
    return own.length;
  }

  /** Course titles by id, for the audit trail (an organisation's own courses only). */
  async function titlesOf(providerId: string, ids: string[]): Promise<Map<string, CourseRecord['title']>> {
    const found = await courses.find({ _id: { $in: ids.filter(isObjectId) }, providerId }, { title: 1 }).lean();
    return new Map(found.map((course) => [course._id.toString(), course.title]));
  }

  return { create, createMany, update, archive, confirm, getVisible, findRecord, listOwn, replaceContent, setSeats, setStatus, duplicate, confirmAll, titlesOf };
}

export type CoursesService = ReturnType<typeof createCoursesService>;
