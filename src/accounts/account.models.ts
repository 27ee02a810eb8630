import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { ROLES, type Role } from './account.enums';

export type UserRecord = {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  role: Role;
  providerId?: Types.ObjectId;
  /** set when an admin deactivates the account: no login, no session, no token works; nothing is deleted */
  deactivatedAt?: Date;
  passwordChangedAt?: Date;
  /** counts password changes: a website session remembers the value it logged in with and ends when it moves */
  sessionEpoch?: number;
  createdAt: Date;
  updatedAt: Date;
};

/** An admin-issued one-time link to set a new password: stored hashed, valid 24 h, used once. */
export type PasswordResetRecord = {
  _id: Types.ObjectId;
  tokenHash: string;
  userId: Types.ObjectId;
  issuedBy: Types.ObjectId;
  expiresAt: Date;
  usedAt?: Date;
  createdAt: Date;
};

export type ApiTokenRecord = {
  _id: Types.ObjectId;
  tokenHash: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  createdAt: Date;
};

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    providerId: { type: Schema.Types.ObjectId, ref: 'Provider' },
    deactivatedAt: Date,
    passwordChangedAt: Date,
    sessionEpoch: Number,
  },
  { timestamps: true, strict: 'throw', versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ providerId: 1 }, { partialFilterExpression: { providerId: { $exists: true } } });

const apiTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: 'throw', versionKey: false },
);
apiTokenSchema.index({ tokenHash: 1 }, { unique: true });
// MongoDB removes expired tokens by itself.
apiTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
apiTokenSchema.index({ userId: 1 });

const passwordResetSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    issuedBy: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    expiresAt: { type: Date, required: true },
    usedAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: 'throw', versionKey: false },
);
passwordResetSchema.index({ tokenHash: 1 }, { unique: true });
// Kept a day past expiry (so a late click reads "expired", not "unknown"), then MongoDB removes it.
passwordResetSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });

export type UserModel = Model<UserRecord>;
export type PasswordResetModel = Model<PasswordResetRecord>;

export function passwordResetModel(db: Connection): PasswordResetModel {
  return (db.models.PasswordReset as PasswordResetModel | undefined) ?? db.model<PasswordResetRecord>('PasswordReset', passwordResetSchema, 'password_resets');
}
export type ApiTokenModel = Model<ApiTokenRecord>;

export function userModel(db: Connection): UserModel {
  return (db.models.User as UserModel | undefined) ?? db.model<UserRecord>('User', userSchema);
}

export function apiTokenModel(db: Connection): ApiTokenModel {
  return (db.models.ApiToken as ApiTokenModel | undefined) ?? db.model<ApiTokenRecord>('ApiToken', apiTokenSchema);
}
