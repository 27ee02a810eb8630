import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Connection } from 'mongoose';
import type { Clock } from '../lib/clock';
import { AppError, badRequest, conflict, forbidden, notFound, unauthorized } from '../lib/errors';
import { providerModel } from '../providers/provider.model';
import type { Role } from './account.enums';
import { apiTokenModel, passwordResetModel, userModel, type UserRecord } from './account.models';
import type { CreateUserBody } from './account.schema';
import type { Actor } from './actor';
import { createLoginLimiter } from './login-limiter';
import { passwordProblem, type PasswordProblem } from './password-policy';

const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id; the package's enum is a const enum, unusable under isolatedModules */, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const TOKEN_PREFIX = 'skf_';
// Verifying against this keeps a login for an unknown email as slow as one with a wrong password.
const DUMMY_HASH_PROMISE = hash('not-a-real-password', ARGON2_OPTIONS);

export type AccountsOptions = { tokenTtlHours: number; login: { maxFailures: number; windowSeconds: number } };
export type PublicUser = { id: string; email: string; role: Role; providerId?: string };
/** A logged-in person on the website: who they are, as every service sees it, and their email to greet them. */
export type SessionUser = Actor & { email: string; sessionEpoch: number };

const RESET_LINK_HOURS = 24;

/** A password change that the policy refused; the page shows `problem` beside the field. */
export class PasswordRejected extends Error {
  constructor(readonly problem: PasswordProblem | 'wrongCurrent' | 'linkInvalid') {
    super(`password rejected: ${problem}`);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toActor(user: Pick<UserRecord, '_id' | 'role' | 'providerId'>): Actor {
  return { userId: user._id.toString(), role: user.role, ...(user.providerId ? { providerId: user.providerId.toString() } : {}) };
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
  const resets = passwordResetModel(db);

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

  /**
   * Checks an email and password for the API and the website alike: rate-limited per client and per account
   * (counted before the slow hash check), the same answer for an unknown email, a wrong password and a deactivated
   * account, and as slow for all three.
   */
  async function verifyCredentials(email: string, password: string, clientKey: string): Promise<SessionUser> {
    await logins.beginAttempt(clientKey, email);
    const user = await users.findOne({ email }).lean();
    const valid = user ? await verify(user.passwordHash, password) : (await verify(await DUMMY_HASH_PROMISE, password), false);
    if (!user || !valid || user.deactivatedAt) throw unauthorized('Email or password is wrong.');
    await logins.succeeded(clientKey, email);
    return { ...toActor(user), email: user.email, sessionEpoch: user.sessionEpoch ?? 0 };
  }

  async function issueToken(email: string, password: string, clientKey: string): Promise<{ token: string; expiresAt: string }> {
    const user = await verifyCredentials(email, password, clientKey);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + options.tokenTtlHours * 3600_000);
    await tokens.create({ tokenHash: hashToken(token), userId: user.userId, expiresAt });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /**
   * The user behind a website session, read fresh on every request (one indexed lookup), so that deactivating an
   * account or changing its password ends its sessions at once. `sessionEpoch`: the value the session logged in with.
   */
  async function sessionUser(userId: string, sessionEpoch: number): Promise<SessionUser | undefined> {
    if (!/^[a-f0-9]{24}$/.test(userId)) return undefined;
    const user = await users.findById(userId, { email: 1, role: 1, providerId: 1, deactivatedAt: 1, sessionEpoch: 1 }).lean();
    if (!user || user.deactivatedAt || (user.sessionEpoch ?? 0) !== sessionEpoch) return undefined;
    return { ...toActor(user), email: user.email, sessionEpoch };
  }

  /** Sets a new password (already checked against the policy) and ends every session and API token of the account. */
  async function storePassword(userId: string, password: string): Promise<number> {
    const passwordHash = await hash(password, ARGON2_OPTIONS);
    const updated = await users.findOneAndUpdate({ _id: userId }, { $set: { passwordHash, passwordChangedAt: clock.now() }, $inc: { sessionEpoch: 1 } }, { returnDocument: 'after', projection: { sessionEpoch: 1 } }).lean();
    await tokens.deleteMany({ userId });
    return updated?.sessionEpoch ?? 0;
  }

  /** Returns the account's new session epoch: the session that changed the password takes it and stays logged in. */
  async function changePassword(user: SessionUser, current: string, next: string, clientKey: string): Promise<number> {
    try {
      await verifyCredentials(user.email, current, clientKey);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) throw new PasswordRejected('wrongCurrent');
      throw error;
    }
    const problem = passwordProblem(next, [user.email]);
    if (problem) throw new PasswordRejected(problem);
    return storePassword(user.userId, next);
  }

  /** An admin issues a one-time link for a user who forgot their password (no mail needed: the admin passes it on). */
  async function issueResetLink(admin: Actor, userId: string): Promise<{ token: string; expiresAt: Date }> {
    if (!/^[a-f0-9]{24}$/.test(userId) || !(await users.exists({ _id: userId }))) throw notFound('There is no such user.');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + RESET_LINK_HOURS * 3600_000);
    await resets.create({ tokenHash: hashToken(token), userId, issuedBy: admin.userId, expiresAt });
    return { token, expiresAt };
  }

  async function resetLinkIsValid(token: string): Promise<boolean> {
    if (token.length > 100) return false;
    return (await resets.exists({ tokenHash: hashToken(token), usedAt: { $exists: false }, expiresAt: { $gt: clock.now() } })) !== null;
  }

  /** Uses the link once: the claim is atomic, so two tabs cannot both set a password with it. */
  async function resetPassword(token: string, password: string): Promise<void> {
    if (token.length > 100) throw new PasswordRejected('linkInvalid');
    const link = await resets.findOne({ tokenHash: hashToken(token), usedAt: { $exists: false }, expiresAt: { $gt: clock.now() } }).lean();
    if (!link) throw new PasswordRejected('linkInvalid');
    const user = await users.findById(link.userId, { email: 1 }).lean();
    if (!user) throw new PasswordRejected('linkInvalid');
    const problem = passwordProblem(password, [user.email]);
    if (problem) throw new PasswordRejected(problem);
    const claimed = await resets.findOneAndUpdate({ _id: link._id, usedAt: { $exists: false } }, { $set: { usedAt: clock.now() } });
    if (!claimed) throw new PasswordRejected('linkInvalid');
    await storePassword(link.userId.toString(), password);
  }

  /** Email addresses by user id, so an audit trail can say who changed what. */
  async function emailsOf(userIds: string[]): Promise<Map<string, string>> {
    const found = await users.find({ _id: { $in: userIds.filter((id) => /^[a-f0-9]{24}$/.test(id)) } }, { email: 1 }).lean();
    return new Map(found.map((user) => [user._id.toString(), user.email]));
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
      {
        $lookup: {
          from: users.collection.name,
          localField: 'userId',
          foreignField: '_id',
          as: 'user',
          pipeline: [{ $match: { deactivatedAt: { $exists: false } } }, { $project: { role: 1, providerId: 1 } }],
        },
      },
      { $unwind: '$user' },
      { $project: { user: 1 } },
    ]);
    return row ? toActor(row.user) : undefined;
  }

  /** Deactivates (or reactivates) an account: its sessions and API tokens stop working at once; nothing is deleted. */
  async function setActive(admin: Actor, userId: string, active: boolean): Promise<void> {
    if (admin.role !== 'admin') throw forbidden('Only administrators deactivate accounts.');
    if (!/^[a-f0-9]{24}$/.test(userId) || !(await users.exists({ _id: userId }))) throw notFound('There is no such user.');
    if (!active && userId === admin.userId) throw badRequest('invalid_body', 'You cannot deactivate your own account.');
    await users.updateOne({ _id: userId }, active ? { $unset: { deactivatedAt: '' } } : { $set: { deactivatedAt: clock.now() } });
    if (!active) await tokens.deleteMany({ userId });
  }

  /** Every account for the admins' list, newest first. */
  async function listUsers(): Promise<Array<PublicUser & { deactivatedAt?: Date; createdAt: Date }>> {
    const rows = await users.find({}, { email: 1, role: 1, providerId: 1, deactivatedAt: 1, createdAt: 1 }).sort({ createdAt: -1 }).limit(1000).lean();
    return rows.map((user) => ({ ...toPublicUser(user), createdAt: user.createdAt, ...(user.deactivatedAt ? { deactivatedAt: user.deactivatedAt } : {}) }));
  }

  /** The addresses to write to about a provider's listings: its users whose accounts are active. */
  async function activeEmailsOfProvider(providerId: string): Promise<string[]> {
    const rows = await users.find({ providerId, role: 'provider', deactivatedAt: { $exists: false } }, { email: 1 }).sort({ email: 1 }).lean();
    return rows.map((user) => user.email);
  }

  return { setActive, listUsers, activeEmailsOfProvider, createUser, ensureUser, verifyCredentials, issueToken, revokeToken, actorForToken, sessionUser, changePassword, issueResetLink, resetLinkIsValid, resetPassword, emailsOf };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
