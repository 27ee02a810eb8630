import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Types } from 'mongoose';
import { courseContentSchema } from '../../src/courses/course.schema';
import { aCourse, givenProvider } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

const COURSES = 20_000;
const MB = 1024 * 1024;
/** Long enough for a server that ignored backpressure to read most of the collection while the client waits. */
const PAUSE_MS = 3000;

let t: TestApp;
/**
 * The measured server runs in its own process (tests/support/export-server.ts) with the production heap limit: its
 * heap holds the app and nothing else, so a full collection there takes milliseconds and measures only the export.
 * What a server that ignored backpressure would pile up lives in the JS heap (strings) and in ArrayBuffers (Buffers
 * queued in streams and sockets); V8's other `external` memory (the socket layer's own copies, freed asynchronously)
 * moved by several MB between two samples of the same correct export and is left out.
 */
let server: ChildProcessWithoutNullStreams;
let port: number;
let nextLine: () => Promise<string>;
const retained = async () => {
  server.stdin.write('measure\n');
  return Number(await nextLine());
};

beforeAll(async () => {
  t = await createTestApp('csvmemory', { startSync: false });
  // Written straight into the collection (one valid course, varied): the subject is the export, and
  // validating 20,000 courses one by one takes minutes on a busy CI machine.
  const providerId = new Types.ObjectId(await givenProvider(t));
  const content = courseContentSchema.parse(aCourse());
  const now = new Date();
  const collection = t.services.deps.db.collection('courses');
  for (let start = 0; start < COURSES; start += 5_000) {
    const docs = Array.from({ length: 5_000 }, (_, i) => ({
      ...content,
      _id: new Types.ObjectId(),
      providerId,
      title: { de: `Kurs ${start + i}`, en: `Course ${start + i}` },
      description: { de: `Beschreibung ${start + i} `.repeat(60) },
      version: 1,
      lastConfirmedAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    await collection.insertMany(docs, { ordered: false });
  }
  server = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=128', '--import', 'tsx', path.join(__dirname, '../support/export-server.ts')], {
    env: { ...process.env, MONGODB_URI: process.env.TEST_MONGODB_URI, DB_NAME: `t_${t.id}` },
  });
  server.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the export server stopped');
    return String(value);
  };
  port = Number((await nextLine()).replace('ready ', ''));
}, 180_000);
afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.stdin.end();
    await exited;
  }
  await t.close();
});

/**
 * Downloads a path like a slow client: after the first chunk it stops reading for a while — a server that
 * ignored backpressure would now pile the rest of the export up in memory — then reads to the end,
 * counting bytes without keeping them. Returns the most memory retained above the start.
 */
async function slowDownload(path: string): Promise<{ bytes: number; peakGrowth: number; status: number }> {
  const base = await retained();
  let peak = 0;
  const measure = async () => {
    peak = Math.max(peak, (await retained()) - base);
  };
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let bytes = 0;
        let paused = false;
        // A sample a second (the pause below is sampled on its own); samples queue behind each other in the server.
        const sampler = setInterval(() => void measure(), 1000);
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (!paused) {
            paused = true;
            res.pause();
            setTimeout(() => {
              void measure().then(() => res.resume());
            }, PAUSE_MS);
          }
        });
        res.on('end', () => {
          clearInterval(sampler);
          void measure().then(() => resolve({ bytes, peakGrowth: peak, status: res.statusCode ?? 0 }));
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe(`streaming ${COURSES.toLocaleString('en')} courses`, () => {
  it.each(['/api/v1/courses/export.csv', '/api/v1/export/courses.json'])(
    '%s keeps memory bounded while a slow client downloads it',
    async (path) => {
      const { bytes, peakGrowth, status } = await slowDownload(path);
      expect(status).toBe(200);
      // Every course was sent: the file is several times larger than what the server may hold at once.
      expect(bytes).toBeGreaterThan(5 * MB);
      expect(peakGrowth).toBeLessThan(Math.min(16 * MB, bytes / 2));
    },
    120_000,
  );
});
