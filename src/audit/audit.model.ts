import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Role } from '../accounts/account.enums';

export const AUDIT_ENTITIES = ['course', 'provider', 'user'] as const;
export const AUDIT_ACTIONS = ['create', 'update', 'archive', 'confirm'] as const;

export type AuditEntry = {
  _id: Types.ObjectId;
  entity: (typeof AUDIT_ENTITIES)[number];
  entityId: Types.ObjectId;
  action: (typeof AUDIT_ACTIONS)[number];
  /** top-level fields that changed */
  fields: string[];
  /** old → new per changed (dotted) field; absent on creation and on entries from before it was recorded */
  changes?: Array<{ field: string; from?: unknown; to?: unknown }>;
  /** the organisation the record belongs to, so a provider's users can read their own trail */
  providerId?: Types.ObjectId;
  actor: { userId?: Types.ObjectId; role: Role | 'system' };
  at: Date;
};

const auditSchema = new Schema(
  {
    entity: { type: String, enum: AUDIT_ENTITIES, required: true },
    entityId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    fields: [String],
    changes: { type: [{ _id: false, field: { type: String, required: true }, from: Schema.Types.Mixed, to: Schema.Types.Mixed }], default: undefined },
    providerId: Schema.Types.ObjectId,
    actor: { userId: Schema.Types.ObjectId, role: { type: String, required: true } },
    at: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
auditSchema.index({ entity: 1, entityId: 1, at: -1 });
auditSchema.index({ providerId: 1, at: -1 });
auditSchema.index({ at: -1 });

export type AuditModel = Model<AuditEntry>;

export function auditModel(db: Connection): AuditModel {
  return (db.models.AuditEntry as AuditModel | undefined) ?? db.model<AuditEntry>('AuditEntry', auditSchema, 'audit_log');
}
