import { Types, type Connection } from 'mongoose';
import type { Actor } from '../accounts/actor';
import { assertCanManageProvider } from '../accounts/permissions';
import type { AuditService } from '../audit/audit.service';
import { changedFields, fieldChanges } from '../lib/changed-fields';
import type { Clock } from '../lib/clock';
import { conflict, forbidden, notFound } from '../lib/errors';
import { applyMergePatch } from '../lib/merge-patch';
import { boundedTransaction } from '../infra/mongo';
import { isObjectId } from '../lib/object-id';
import { parseInput } from '../lib/validation';
import { courseModel } from '../courses/course.model';
import { markAgainUpdate } from '../search/search-sync';
import { providerModel, type ProviderRecord } from './provider.model';
import { createProviderBodySchema, providerContentSchema, type CreateProviderBody, type ProviderContent } from './provider.schema';

export type ProviderResponse = ProviderContent & { id: string; verified: boolean; version: number; createdAt: string; updatedAt: string };

export function toProviderResponse(provider: ProviderRecord): ProviderResponse {
  // Deactivation is the admins' business; the public never sees a deactivated provider at all.
  const { _id, createdAt, updatedAt, deactivatedAt: _deactivated, ...rest } = provider;
  return { id: _id.toString(), ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

function editableFieldsOf(provider: ProviderRecord): Record<string, unknown> {
  const { _id, createdAt, updatedAt, version, verified, deactivatedAt: _deactivated, ...content } = provider;
  return { ...content, verified };
}

export function createProvidersService(deps: { db: Connection; clock: Clock; audit: AuditService; onCoursesChanged: () => void; writeTimeoutMs: number }) {
  const providers = providerModel(deps.db);
  const courses = courseModel(deps.db);

  async function create(actor: Actor | 'system', input: CreateProviderBody): Promise<ProviderResponse> {
    if (actor !== 'system' && actor.role !== 'admin') throw forbidden('Only administrators create providers.');
    const now = deps.clock.now();
    const _id = new Types.ObjectId();
    await boundedTransaction(deps.db, deps.writeTimeoutMs, async (session) => {
      await providers.create([{ _id, ...input, version: 1 }], { session });
      await deps.audit.record({ entity: 'provider', entityId: _id, providerId: _id, action: 'create', fields: Object.keys(input).sort() }, actor, now, session);
    });
    return toProviderResponse(await getRecord(_id.toString()));
  }

  async function getRecord(id: string): Promise<ProviderRecord> {
    const provider = isObjectId(id) ? await providers.findById(id).lean() : null;
    if (!provider) throw notFound('Provider');
    return provider;
  }

  /** Merge-patches a provider; `verified` is the administrators' decision alone. */
  async function update(actor: Actor, id: string, patch: Record<string, unknown>, version: number | undefined): Promise<ProviderResponse> {
    const current = await getRecord(id);
    assertCanManageProvider(actor, id);
    if (version !== undefined && version !== current.version) {
      throw conflict('version_conflict', 'This provider was changed by someone else. Reload and try again.', { currentVersion: current.version });
    }
    const schema = actor.role === 'admin' ? createProviderBodySchema : providerContentSchema;
    const before = actor.role === 'admin' ? editableFieldsOf(current) : (({ verified: _v, ...rest }) => rest)(editableFieldsOf(current));
    const next = parseInput(schema, applyMergePatch(before, patch), 'body');
    const fields = changedFields(before, next);
    if (fields.length === 0) return toProviderResponse(current);
    const now = deps.clock.now();
    await boundedTransaction(deps.db, deps.writeTimeoutMs, async (session) => {
      const result = await providers.replaceOne(
        { _id: current._id, version: current.version },
        {
          ...next,
          verified: 'verified' in next ? next.verified : current.verified,
          ...(current.deactivatedAt ? { deactivatedAt: current.deactivatedAt } : {}),
          version: current.version + 1,
          createdAt: current.createdAt,
          updatedAt: now,
        },
        { session, timestamps: false },
      );
      if (result.matchedCount === 0) {
        const latest = await providers.findById(current._id, { version: 1 }, { session }).lean();
        throw conflict('version_conflict', 'This provider was changed by someone else. Reload and try again.', { currentVersion: latest?.version ?? current.version });
      }
      const changes = fieldChanges(before, next);
      await deps.audit.record({ entity: 'provider', entityId: current._id, providerId: current._id, action: 'update', fields, changes }, actor, now, session);
      if (fields.includes('name')) {
        // The provider's name is part of every course's search document.
        // (This also moves the courses' updatedAt, which brings them into a running rebuild's catch-up.)
        await courses.updateMany({ providerId: current._id }, markAgainUpdate(), { session, updatePipeline: true });
      }
    });
    if (fields.includes('name')) deps.onCoursesChanged();
    return toProviderResponse(await getRecord(id));
  }

  /**
   * Deactivates (or reactivates) a provider: it and its courses leave (or return to) public view. Nothing is deleted.
   * Its courses are marked for indexing, as after a rename, so the search sync takes them out of the index or puts
   * them back (src/courses/public-visibility.ts decides which).
   */
  async function setActive(actor: Actor, id: string, active: boolean, version: number | undefined): Promise<ProviderResponse> {
    if (actor.role !== 'admin') throw forbidden('Only administrators deactivate providers.');
    const current = await getRecord(id);
    if (version !== undefined && version !== current.version) {
      throw conflict('version_conflict', 'This provider was changed by someone else. Reload and try again.', { currentVersion: current.version });
    }
    if (active === !current.deactivatedAt) return toProviderResponse(current);
    const now = deps.clock.now();
    await boundedTransaction(deps.db, deps.writeTimeoutMs, async (session) => {
      const update = active
        ? { $unset: { deactivatedAt: '' }, $set: { updatedAt: now }, $inc: { version: 1 } }
        : { $set: { deactivatedAt: now, updatedAt: now }, $inc: { version: 1 } };
      const result = await providers.updateOne({ _id: current._id, version: current.version }, update, { session, timestamps: false });
      if (result.matchedCount === 0) throw conflict('version_conflict', 'This provider was changed by someone else. Reload and try again.', { currentVersion: current.version });
      const changes = [{ field: 'deactivatedAt', ...(current.deactivatedAt ? { from: current.deactivatedAt } : {}), ...(active ? {} : { to: now }) }];
      await deps.audit.record({ entity: 'provider', entityId: current._id, providerId: current._id, action: 'update', fields: ['deactivatedAt'], changes }, actor, now, session);
      await courses.updateMany({ providerId: current._id }, markAgainUpdate(), { session, updatePipeline: true });
    });
    deps.onCoursesChanged();
    return toProviderResponse(await getRecord(id));
  }

  /** Every provider for the admins' list, with whether it is active (newest name order). */
  async function listAll(): Promise<ProviderRecord[]> {
    return providers.find({}).sort({ name: 1 }).lean();
  }

  /** Names of every provider, for an administrator choosing whose workspace to open. */
  async function listNames(): Promise<Array<{ id: string; name: string }>> {
    const all = await providers.find({}, { name: 1 }).sort({ name: 1 }).lean();
    return all.map((provider) => ({ id: provider._id.toString(), name: provider.name }));
  }

  return { create, update, getRecord, setActive, listAll, listNames };
}

export type ProvidersService = ReturnType<typeof createProvidersService>;
