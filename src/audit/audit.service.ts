import type { ClientSession, Connection, Types } from 'mongoose';
import type { Actor } from '../accounts/actor';
import { auditModel, type AuditEntry } from './audit.model';

export type AuditEvent = Pick<AuditEntry, 'entity' | 'action' | 'fields'> & { entityId: Types.ObjectId };

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

  return { record, listFor, recordMany };
}

export type AuditService = ReturnType<typeof createAuditService>;
