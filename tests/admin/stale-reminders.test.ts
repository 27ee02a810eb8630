import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { courseModel } from '../../src/courses/course.model';
import { createCourseBodySchema } from '../../src/courses/course.schema';
import { STALE_REMINDER_EVERY_MS } from '../../src/courses/stale-listings';
import { aCourse, givenProvider } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { webSessionAs } from '../support/web-session';

const DAY = 24 * 3600_000;
let now = new Date('2027-03-01T08:00:00Z');
const clock = { now: () => now };
const dataDir = mkdtempSync(path.join(tmpdir(), 'skf-admin-mail-'));
const mailDir = path.join(dataDir, 'mail');
let t: TestApp;
let second: TestApp;

beforeAll(async () => {
  t = await createTestApp('stalereminders', { clock, env: { DATA_DIR: dataDir, PUBLIC_URL: 'https://kurse.landau.example' } });
  // another instance of the same deployment (same database), for the weekly job
  second = await createTestApp('stalereminders', { clock, env: { DATA_DIR: dataDir, PUBLIC_URL: 'https://kurse.landau.example' }, sameDataAs: t, startSync: false });
});
afterAll(async () => {
  await second.close().catch(() => undefined);
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function mails(): Array<{ file: string; text: string }> {
  let files: string[] = [];
  try {
    files = readdirSync(mailDir).filter((file) => file.endsWith('.eml'));
  } catch {
    return [];
  }
  return files.map((file) => ({ file, text: readFileSync(path.join(mailDir, file), 'utf8') }));
}

function clearMails(): void {
  rmSync(mailDir, { recursive: true, force: true });
}

async function givenStaleProvider(name: string, users: string[]) {
  const providerId = await givenProvider(t, { name });
  const actor = { userId: '000000000000000000000001', role: 'admin' } as const;
  const course = await t.services.courses.create(actor, createCourseBodySchema.parse({ ...aCourse({ title: { de: `Deutsch bei ${name}` } }), providerId }));
  await courseModel(t.services.deps.db).updateOne({ _id: course.id }, { $set: { lastConfirmedAt: new Date(now.getTime() - 120 * DAY) } });
  for (const email of users) await t.services.accounts.createUser({ email, password: 'kurse finden in landau', role: 'provider', providerId });
  return providerId;
}

describe('stale listings', () => {
  it('lists courses per provider, oldest first, and "remind" mails that provider\'s users only, in German and English', async () => {
    const stale = await givenStaleProvider('Alte Schule', ['a1@alte.example', 'a2@alte.example']);
    await givenStaleProvider('Andere Schule', ['b1@andere.example']);
    const deactivated = await t.services.accounts.createUser({ email: 'a3@alte.example', password: 'kurse finden in landau', role: 'provider', providerId: stale });
    await t.services.accounts.setActive({ userId: '000000000000000000000001', role: 'admin' }, deactivated.id, false);
    const admin = await webSessionAs(t, 'admin');
    const page = cheerio.load((await admin.agent.get('/admin/stale')).text);
    expect(page('section.admin-item h2').first().text()).toBe('Alte Schule');
    clearMails();

    const res = await admin.post(`/admin/stale/${stale}/remind`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/stale?sent=2');
    const sent = mails();
    expect(sent.map((mail) => /^To: (.*)$/m.exec(mail.text)?.[1]).sort()).toEqual(['a1@alte.example', 'a2@alte.example']);
    const body = sent[0]?.text ?? '';
    expect(body).toContain('Deutsch bei Alte Schule');
    expect(body).toContain('Guten Tag');
    expect(body).toContain('Hello');
    expect(body).toContain('https://kurse.landau.example/provider');
    expect(body).toMatch(/Content-Type: text\/plain/);
  });

  it('sends the weekly reminder exactly once with two instances over one database', async () => {
    await givenStaleProvider('Wochenschule', ['w1@woche.example']);
    clearMails();
    now = new Date(now.getTime() + 1000);
    const ran = await Promise.all([t.services.jobs.runDue(), second.services.jobs.runDue()]);
    expect(ran.flat().filter((name) => name === 'stale-reminders')).toHaveLength(1);
    const recipients = mails().map((mail) => /^To: (.*)$/m.exec(mail.text)?.[1]).sort();
    // one mail per active user of each provider with stale listings, once
    expect(recipients).toEqual([...new Set(recipients)]);
    expect(recipients).toContain('w1@woche.example');
    // not again within the week; again after it
    clearMails();
    now = new Date(now.getTime() + 3 * DAY);
    expect((await Promise.all([t.services.jobs.runDue(), second.services.jobs.runDue()])).flat()).not.toContain('stale-reminders');
    expect(mails()).toHaveLength(0);
    now = new Date(now.getTime() + STALE_REMINDER_EVERY_MS);
    expect((await Promise.all([t.services.jobs.runDue(), second.services.jobs.runDue()])).flat().filter((name) => name === 'stale-reminders')).toHaveLength(1);
    expect(mails().length).toBe(recipients.length);
  });
});
