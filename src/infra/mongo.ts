import os from 'node:os';
import mongoose, { type Connection } from 'mongoose';

export type { Connection };

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
