import { Writable } from 'node:stream';
import { mongo } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/lib/logger';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let logOutput = '';

beforeAll(async () => {
  t = await createTestApp('statsprivacy');
  const providerId = await givenProvider(t);
  const provider = await loginAs(t, 'provider', providerId);
  await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse()).expect(201);
  await t.settle();
});
afterAll(async () => {
  await t.close();
});

const NAME = 'Annegret Quellenbach';
const PHONE = '0176 98765432';
const LAT = '49.21357';
const LNG = '8.10642';
const AGENT = 'PrivacyProbe-UA/7.3 (Kiosk 42)';
const REFERER = 'https://beratung.example/klientin/4711';

/**
 * Whether `text` holds `secret`. A short secret of digits alone ("4711", "21357") counts only as a token of its own:
 * four or five digits also turn up by chance inside an ObjectId, a hash or a timestamp, which is no leak. A leak keeps
 * its neighbours ("/klientin/4711", "8.10642"), so it is still found; longer secrets are matched anywhere.
 */
function holds(text: string, secret: string): boolean {
  if (!/^\d{1,7}$/.test(secret)) return text.includes(secret);
  return new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`).test(text);
}

it('keeps no free text, phone number, coordinates, user agent, referer or address of a search anywhere: not in MongoDB, not in the log', async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logOutput += chunk.toString('utf8');
      done();
    },
  });
  // The production logger at info level, as `npm start` runs it.
  const http = request(createApp({ ...t.services, deps: { ...t.services.deps, logger: createLogger('info', sink) } }));
  const query = { q: `${NAME} ${PHONE}`, near: `${LAT},${LNG}`, radiusKm: '10', childcare: 'true', level: 'A1' };
  const headers = { 'User-Agent': AGENT, Referer: REFERER, 'X-Forwarded-For': '198.51.100.23' };
  await http.get('/api/v1/courses').query(query).set(headers).expect(200);
  await http.get('/courses').query(query).set(headers).expect(200);
  await http.get('/api/v1/courses').query({ q: PHONE }).set(headers).expect(200);
  await t.services.stats.flush();

  const db = t.services.deps.db;
  const collections = (await db.listCollections()).map((c) => c.name).sort();
  expect(collections).toContain('search_events');
  let stored = '';
  for (const name of collections) stored += mongo.BSON.EJSON.stringify(await db.collection(name).find({}).toArray(), { relaxed: true });
  expect(await db.collection('search_events').countDocuments()).toBe(3);
  expect(logOutput.split('\n').filter((line) => line.includes('request completed')).length).toBeGreaterThanOrEqual(3);

  const digits = PHONE.replace(/\D/g, '');
  for (const [where, text] of [
    ['MongoDB', stored],
    ['the log', logOutput],
  ] as const) {
    for (const secret of ['Annegret', 'Quellenbach', PHONE, digits, '98765432', LAT, LNG, '21357', '10642', 'PrivacyProbe', 'Kiosk', 'beratung.example', '4711', '198.51.100.23', '127.0.0.1', '::ffff']) {
      if (holds(text, secret)) throw new Error(`${where} holds "${secret}"`);
    }
  }
});
