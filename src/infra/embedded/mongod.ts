import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { freePort, isPortFree, startManagedProcess, waitFor, type ManagedProcess } from './managed-process';

const REPLICA_SET = 'rs0';
/**
 * How long mongod lets a transaction live before it aborts it (its default is 60 s). A transaction whose app
 * instance died (SIGKILL, a crashed host) keeps its document locks until then, and every write to those documents
 * waits or times out meanwhile (WRITE_TIMEOUT_MS). The app's own transactions last milliseconds, so 15 s is ample.
 */
export const TRANSACTION_LIFETIME_SECONDS = 15;

export type EmbeddedMongo = { uri: string; port: number; process: ManagedProcess; stop(): Promise<void> };

/**
 * Starts the real `mongod` as a single-node replica set with its data in `dataDir`.
 * The port is remembered in `dataDir`: the replica-set config stored there names host:port,
 * and a member restarted on another port never becomes primary — so a changed port is re-configured.
 */
export async function startMongod(options: { binary: string; dataDir: string; port?: number; transactionLifetimeSeconds?: number }): Promise<EmbeddedMongo> {
  const dbPath = path.join(options.dataDir, 'mongodb');
  mkdirSync(dbPath, { recursive: true });
  const portFile = path.join(options.dataDir, 'mongod.port');
  const remembered = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
  const port =
    options.port ?? (remembered && (await isPortFree(remembered)) ? remembered : await freePort());
  writeFileSync(portFile, String(port));

  const child = startManagedProcess(
    options.binary,
    ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port), '--replSet', REPLICA_SET,
      '--wiredTigerCacheSizeGB', '0.25', '--quiet',
      '--setParameter', `transactionLifetimeLimitSeconds=${options.transactionLifetimeSeconds ?? TRANSACTION_LIFETIME_SECONDS}`, '--logpath', path.join(options.dataDir, 'mongod.log'), '--logappend'],
    { logFile: path.join(options.dataDir, 'mongod.out') },
  );
  try {
    await initiateReplicaSet(port, child.exited);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/?replicaSet=${REPLICA_SET}`,
    port,
    process: child,
    stop: () => child.stop(),
  };
}

async function connectDirectly(port: number) {
  const client = new mongoose.mongo.MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 1000,
    runtimeAdapters: { os },
  });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.close();
    throw error;
  }
}

async function initiateReplicaSet(port: number, died: Promise<unknown>): Promise<void> {
  // A client whose first connect failed stays closed, so every attempt gets a new one.
  const client = await waitFor('mongod', () => connectDirectly(port), 30_000, died);
  try {
    const admin = client.db('admin');
    const host = `127.0.0.1:${port}`;
    try {
      const { config } = await admin.command({ replSetGetConfig: 1 });
      if (config.members[0]?.host !== host) {
        config.members = [{ ...config.members[0], host }];
        config.version += 1;
        await admin.command({ replSetReconfig: config, force: true });
      }
    } catch (error) {
      if ((error as { codeName?: string }).codeName !== 'NotYetInitialized') throw error;
      await admin.command({ replSetInitiate: { _id: REPLICA_SET, members: [{ _id: 0, host }] } });
    }
    await waitFor('mongod primary', async () => ((await admin.command({ hello: 1 })).isWritablePrimary ? true : undefined), 30_000, died);
  } finally {
    await client.close();
  }
}
