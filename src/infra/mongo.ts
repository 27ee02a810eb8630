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

export async function isMongoUp(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (!db) return false;
    await db.command({ ping: 1 }, { timeoutMS: 1500 });
    return true;
  } catch {
    return false;
  }
}

export function isDatabaseDownError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /^(MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoTopologyClosedError|MongooseServerSelectionError|MongoNotConnectedError|MongoOperationTimeoutError|MongoWaitQueueTimeoutError)$/.test(error.name)
    || error.name === 'MongoPoolClearedError';
}
