import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Connection } from 'mongoose';
import type { Clock } from '../lib/clock';
import { AppError, badRequest, conflict, unauthorized } from '../lib/errors';
import { providerModel } from '../providers/provider.model';
import type { Role } from './account.enums';
import { apiTokenModel, userModel, type UserRecord } from './account.models';
import type { CreateUserBody } from './account.schema';
import type { Actor } from './actor';
import { createLoginLimiter } from './login-limiter';

const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id; the package's enum is a const enum, unusable under isolatedModules */, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const TOKEN_PREFIX = 'skf_';
// Verifying against this keeps a login for an unknown email as slow as one with a wrong password.
const DUMMY_HASH_PROMISE = hash('not-a-real-password', ARGON2_OPTIONS);

export type AccountsOptions = { tokenTtlHours: number; login: { maxFailures: number; windowSeconds: number } };
export type PublicUser = { id: string; email: string; role: Role; providerId?: string };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toPublicUser(user: Pick<UserRecord, '_id' | 'email' | 'role' | 'providerId'>): PublicUser {
  return {
    id: user._id.toString(),
    email: user.email,
    role: user.role,
    ...(user.providerId ? { providerId: user.providerId.toString() } : {}),
  };
}

export function createAccountsService(db: Connection, clock: Clock, options: AccountsOptions) {
  const users = userModel(db);
  const tokens = apiTokenModel(db);
  const providers = providerModel(db);
  const logins = createLoginLimiter(db, options.login);

  async function createUser(input: CreateUserBody): Promise<PublicUser> {
    if (input.providerId && !(await providers.exists({ _id: input.providerId }))) {
      throw badRequest('invalid_body', 'Invalid request body: providerId.', [{ param: 'providerId', message: 'is not a known provider' }]);
    }
    const passwordHash = await hash(input.password, ARGON2_OPTIONS);
    try {
      const [user] = await users.create([{ email: input.email, passwordHash, role: input.role, providerId: input.providerId }]);
      if (!user) throw new Error('user not created');
      return toPublicUser(user);
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw conflict('email_taken', 'A user with this email already exists.');
      throw error;
    }
  }

  /**
   * Creates the user unless one with this email exists; undefined when it did. Safe when several instances start
   * together: the unique index on `email` (built before the check) decides the race, and the loser's email_taken
   * means the account is there.
   */
  async function ensureUser(input: CreateUserBody): Promise<PublicUser | undefined> {
    await users.init();
    if (await users.exists({ email: input.email })) return undefined;
    try {
      return await createUser(input);
    } catch (error) {
      if (error instanceof AppError && error.code === 'email_taken') return undefined;
      throw error;
    }
  }

  async function issueToken(email: string, password: string, clientKey: string): Promise<{ token: string; expiresAt: string }> {
    await logins.beginAttempt(clientKey, email);
    const user = await users.findOne({ email }).lean();
    const valid = user ? await verify(user.passwordHash, password) : (await verify(await DUMMY_HASH_PROMISE, password), false);
    if (!user || !valid) throw unauthorized('Email or password is wrong.');
    await logins.succeeded(clientKey, email);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + options.tokenTtlHours * 3600_000);
    await tokens.create({ tokenHash: hashToken(token), userId: user._id, expiresAt });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  async function revokeToken(token: string): Promise<void> {
    await tokens.deleteOne({ tokenHash: hashToken(token) });
  }

  /** The actor behind a bearer token, in one round trip; undefined when unknown or expired. */
  async function actorForToken(token: string): Promise<Actor | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
    const [row] = await tokens.aggregate<{ user: Pick<UserRecord, '_id' | 'role' | 'providerId'> }>([
      { $match: { tokenHash: hashToken(token), expiresAt: { $gt: clock.now() } } },
      { $limit: 1 },
      { $lookup: { from: users.collection.name, localField: 'userId', foreignField: '_id', as: 'user', pipeline: [{ $project: { role: 1, providerId: 1 } }] } },
      { $unwind: '$user' },
      { $project: { user: 1 } },
    ]);
    if (!row) return undefined;
    return {
      userId: row.user._id.toString(),
      role: row.user.role,
      ...(row.user.providerId ? { providerId: row.user.providerId.toString() } : {}),
    };
  }

  return { createUser, ensureUser, issueToken, revokeToken, actorForToken };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
