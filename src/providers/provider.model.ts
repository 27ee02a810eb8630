import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { ProviderContent } from './provider.schema';

export type ProviderRecord = ProviderContent & {
  _id: Types.ObjectId;
  verified: boolean;
  /** set while an admin has deactivated the provider: it and its courses are out of public view; nothing is deleted */
  deactivatedAt?: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

const providerSchema = new Schema(
  {
    name: { type: String, required: true },
    description: Schema.Types.Mixed,
    contact: Schema.Types.Mixed,
    bamfApprovalNumber: String,
    staffLanguages: [String],
    venues: Schema.Types.Mixed,
    verified: { type: Boolean, default: false },
    deactivatedAt: Date,
    version: { type: Number, required: true, min: 1 },
  },
  { timestamps: true, strict: 'throw', versionKey: false },
);
providerSchema.index({ name: 1 });

export type ProviderModel = Model<ProviderRecord>;

export function providerModel(db: Connection): ProviderModel {
  return (db.models.Provider as ProviderModel | undefined) ?? db.model<ProviderRecord>('Provider', providerSchema);
}
