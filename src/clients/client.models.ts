import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { ClientProfile } from '../matching/client-profile.schema';

export type ShortlistEntry = { courseId: Types.ObjectId; note: string };

/** A counselor's pseudonymous client: the profile matching needs, a label, a note and the ordered shortlist. */
export type ClientRecord = {
  _id: Types.ObjectId;
  ownerId: Types.ObjectId;
  label: string;
  note: string;
  profile: ClientProfile;
  shortlist: ShortlistEntry[];
  /** the retention clock (CLIENT_RETENTION_DAYS): set whenever the counselor works with the profile */
  lastUsedAt: Date;
  createdAt: Date;
  updatedAt: Date;
};

/** The client's one share link; only the token's SHA-256 is stored, so a database copy opens no handout. */
export type ShareLinkRecord = {
  _id: Types.ObjectId;
  clientId: Types.ObjectId;
  ownerId: Types.ObjectId;
  tokenHash: string;
  expiresAt: Date;
  revokedAt?: Date;
  createdAt: Date;
};

const clientSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    label: { type: String, required: true },
    note: { type: String, default: '' },
    profile: { type: Schema.Types.Mixed, required: true },
    shortlist: { type: [{ _id: false, courseId: { type: Schema.Types.ObjectId, required: true }, note: { type: String, default: '' } }], default: [] },
    lastUsedAt: { type: Date, required: true },
  },
  { timestamps: true, strict: 'throw', versionKey: false, collection: 'client_profiles', minimize: false },
);
clientSchema.index({ ownerId: 1, lastUsedAt: -1 });
clientSchema.index({ lastUsedAt: 1 });

const shareLinkSchema = new Schema(
  {
    clientId: { type: Schema.Types.ObjectId, required: true, ref: 'ClientProfile' },
    ownerId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    tokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: 'throw', versionKey: false, collection: 'client_share_links' },
);
shareLinkSchema.index({ clientId: 1 }, { unique: true });
shareLinkSchema.index({ tokenHash: 1 }, { unique: true });

export type ClientModel = Model<ClientRecord>;
export type ShareLinkModel = Model<ShareLinkRecord>;

export function clientModel(db: Connection): ClientModel {
  return (db.models.ClientProfile as ClientModel | undefined) ?? db.model<ClientRecord>('ClientProfile', clientSchema);
}

export function shareLinkModel(db: Connection): ShareLinkModel {
  return (db.models.ClientShareLink as ShareLinkModel | undefined) ?? db.model<ShareLinkRecord>('ClientShareLink', shareLinkSchema);
}
