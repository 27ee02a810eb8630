import os from 'node:os';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { boundedTransaction } from '../../src/infra/mongo';

/** Every commit's time limit as sent to mongod. */
let connection: mongoose.Connection;
const commitLimits: Array<number | undefined> = [];

beforeAll(async () => {
  connection = mongoose.createConnection(process.env.TEST_MONGODB_URI ?? '', {
    dbName: `t_bounded_${randomBytes(4).toString('hex')}`,
    monitorCommands: true,
    runtimeAdapters: { os },
  });
  await connection.asPromise();
  connection.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'commitTransaction') commitLimits.push(event.command.maxTimeMS as number | undefined);
  });
  await connection.db?.createCollection('things');
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('gives a write\'s commit only the time left of its limit, so the whole write ends within the limit', async () => {
  commitLimits.length = 0;
  const things = connection.collection('things');
  // A limit well beyond the work's 600 ms: a busy machine may add a second to it and the write still commits.
  await boundedTransaction(connection, 3000, async (session) => {
    await things.insertOne({ name: 'Kurs' }, { session });
    await sleep(600);
  });
  expect(commitLimits).toHaveLength(1);
  expect(commitLimits[0]).toBeGreaterThan(0);
  expect(commitLimits[0]).toBeLessThanOrEqual(2400);
});

it('aborts a write whose work ran past its limit instead of committing it late', async () => {
  commitLimits.length = 0;
  const things = connection.collection('things');
  const write = boundedTransaction(connection, 300, async (session) => {
    await things.insertOne({ name: 'zu spät' }, { session });
    await sleep(400);
  });
  await expect(write).rejects.toMatchObject({ name: 'WriteTimeoutError' });
  expect(commitLimits).toHaveLength(0);
  expect(await things.countDocuments({ name: 'zu spät' })).toBe(0);
});
