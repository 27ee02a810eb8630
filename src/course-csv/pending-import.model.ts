import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * An uploaded CSV between its preview and the provider's confirmation, kept on the server (not in a hidden form
 * field, which the browser could change): owned by the user who uploaded it, gone after an hour (TTL index).
 */
export type PendingImport = {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** the provider an admin chose; providers always import into their own */
  providerId?: Types.ObjectId;
  text: string;
  createdAt: Date;
};

export const PENDING_IMPORT_TTL_SECONDS = 3600;

const pendingImportSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    providerId: Schema.Types.ObjectId,
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
pendingImportSchema.index({ createdAt: 1 }, { expireAfterSeconds: PENDING_IMPORT_TTL_SECONDS });

export type PendingImportModel = Model<PendingImport>;

export function pendingImportModel(db: Connection): PendingImportModel {
  return (db.models.PendingImport as PendingImportModel | undefined) ?? db.model<PendingImport>('PendingImport', pendingImportSchema, 'pending_imports');
}
