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
  actor: { userId?: Types.ObjectId; role: Role | 'system' };
  at: Date;
};

const auditSchema = new Schema(
  {
    entity: { type: String, enum: AUDIT_ENTITIES, required: true },
    entityId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    fields: [String],
    actor: { userId: Schema.Types.ObjectId, role: { type: String, required: true } },
    at: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
auditSchema.index({ entity: 1, entityId: 1, at: -1 });

export type AuditModel = Model<AuditEntry>;

export function auditModel(db: Connection): AuditModel {
  return (db.models.AuditEntry as AuditModel | undefined) ?? db.model<AuditEntry>('AuditEntry', auditSchema, 'audit_log');
}
