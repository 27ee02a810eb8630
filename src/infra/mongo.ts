import os from 'node:os';
import mongoose, { type ClientSession, type Connection } from 'mongoose';

export type { ClientSession, Connection };

/** One mongoose connection per app (tests run several side by side, each with its own database). */
export async function connectMongo(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    ...(dbName ? { dbName } : {}),
    serverSelectionTimeoutMS: 3000,
    autoIndex: true,
    // The driver otherwise loads `os` with a dynamic import, which fails inside jest's module sandbox
    // ("Missing required sub-document 'driver'", mongoose#16499); handing it over works everywhere.
    runtimeAdapters: { os },
  });
  await connection.asPromise();
  return connection;
}

const PING_TIMEOUT_MS = 1500;

/**
 * One ping with a short deadline of its own: with the server gone, the driver waits the connection's whole
 * serverSelectionTimeoutMS (3 s) whatever the command's `timeoutMS` says, and a health check must answer fast.
 */
export async function isMongoUp(connection: Connection): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  const ping = db.command({ ping: 1 }, { timeoutMS: PING_TIMEOUT_MS }).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function isDatabaseDownError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /^(MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoTopologyClosedError|MongooseServerSelectionError|MongoNotConnectedError|MongoOperationTimeoutError|MongoWaitQueueTimeoutError)$/.test(error.name)
    || error.name === 'MongoPoolClearedError';
}

/** A write that did not finish within its time limit (WRITE_TIMEOUT_MS); nothing of it was committed. */
export class WriteTimeoutError extends Error {
  constructor(limitMs: number) {
    super(`the write did not finish within ${limitMs} ms`);
    this.name = 'WriteTimeoutError';
  }
}

/** MongoDB's own "operation exceeded time limit" (an update's `maxTimeMS`, a commit's `maxCommitTimeMS`). */
const MAX_TIME_MS_EXPIRED = 50;

/** Our own limit, or the server's, ran out: the write waited on a document another transaction holds. */
export function isWriteTimeoutError(error: unknown): boolean {
  if (error instanceof WriteTimeoutError) return true;
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> } | undefined;
  return e?.code === MAX_TIME_MS_EXPIRED || (e?.writeErrors ?? []).some((w) => w.code === MAX_TIME_MS_EXPIRED);
}

/** A commit started just before the deadline still gets this long, rather than failing without being tried. */
const MIN_COMMIT_MS = 50;

/** The driver's state of the transaction in progress (not in its public types); its `maxTimeMS` is sent with the commit. */
type DriverTransaction = { options?: { maxTimeMS?: number } };

/**
 * A transaction with a time limit for the whole of it, commit included (plus at most MIN_COMMIT_MS). The driver
 * retries a transaction whose write ran into a document locked by another transaction (WriteConflict, a
 * TransientTransactionError) for up to 120 s, and the lock of a transaction its instance left behind (killed) is
 * only released when mongod aborts it (transactionLifetimeLimitSeconds): without a limit, a write to that document
 * hung for a minute and more. The deadline is checked when an attempt starts and again when its work is done
 * (an attempt past it aborts; a non-driver error ends the retries); writes inside a transaction fail at once on such
 * a lock instead of waiting, and each attempt's commit may take only the time left before the deadline.
 */
export async function boundedTransaction<T>(db: Connection, limitMs: number, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  const deadline = Date.now() + limitMs;
  const timeLeft = () => Math.max(MIN_COMMIT_MS, deadline - Date.now());
  // The driver reads this at every attempt's start: the commit's limit is at most the time left then ...
  const options = {
    get maxCommitTimeMS() {
      return timeLeft();
    },
  };
  return db.transaction(async (session) => {
    if (Date.now() >= deadline) throw new WriteTimeoutError(limitMs);
    const result = await fn(session);
    if (Date.now() >= deadline) throw new WriteTimeoutError(limitMs);
    // ... and, where the driver's transaction state is reachable, only the time left once the work is done.
    const transaction = (session as unknown as { transaction?: DriverTransaction }).transaction;
    if (transaction?.options) transaction.options.maxTimeMS = timeLeft();
    return result;
  }, options) as Promise<T>;
}
