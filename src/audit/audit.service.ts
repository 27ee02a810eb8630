import type { ClientSession, Connection, Types } from 'mongoose';
import type { Actor } from '../accounts/actor';
import { auditModel, type AuditEntry } from './audit.model';

export type AuditEvent = Pick<AuditEntry, 'entity' | 'action' | 'fields' | 'changes'> & { entityId: Types.ObjectId; providerId?: Types.ObjectId };

export function createAuditService(db: Connection) {
  const entries = auditModel(db);

  /** Written inside the caller's transaction, so a change and its audit entry land together or not at all. */
  async function record(event: AuditEvent, actor: Actor | 'system', at: Date, session: ClientSession): Promise<void> {
    const who = actor === 'system' ? { role: 'system' as const } : { userId: actor.userId, role: actor.role };
    await entries.create([{ ...event, actor: who, at }], { session });
  }

  /** Many entries in one write, for bulk use cases such as a CSV import (same rules as `record`). */
  async function recordMany(events: AuditEvent[], actor: Actor, at: Date, session: ClientSession): Promise<void> {
    const who = { userId: actor.userId, role: actor.role };
    await entries.insertMany(
      events.map((event) => ({ ...event, actor: who, at })),
      { session },
    );
  }

  async function listFor(entity: AuditEntry['entity'], entityId: string) {
    return entries.find({ entity, entityId }).sort({ at: 1, _id: 1 }).lean();
  }

  /**
   * The newest entries first: a provider's users read their own organisation's (pass its id), admins everyone's.
   * Paged by `before` (the `at` of the last entry shown) rather than by skipping, so long trails stay fast.
   */
  async function recent(filter: { providerId?: string; entity?: AuditEntry['entity']; entityId?: string; before?: Date }, limit = 50) {
    return entries
      .find({
        ...(filter.providerId ? { providerId: filter.providerId } : {}),
        ...(filter.entity ? { entity: filter.entity } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(filter.before ? { at: { $lt: filter.before } } : {}),
      })
      .sort({ at: -1, _id: -1 })
      .limit(Math.min(limit, 200))
      .lean();
  }

  return { record, listFor, recent, recordMany };
}

export type AuditService = ReturnType<typeof createAuditService>;
