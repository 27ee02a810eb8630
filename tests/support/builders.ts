import type { CourseContentInput } from '../../src/courses/course.schema';
import { createProviderBodySchema, type ProviderContentInput } from '../../src/providers/provider.schema';
import type { Venue } from '../../src/providers/venue.schema';
import type { Role } from '../../src/accounts/account.enums';
import type { TestApp } from './test-app';

export const LANDAU = { lat: 49.1989, lng: 8.1169 };

export function aVenue(overrides: Partial<Venue> = {}): Venue {
  return { name: 'Haus am Maulbeerbaum', street: 'Marktstraße 1', postcode: '76829', city: 'Landau in der Pfalz', ...LANDAU, ...overrides };
}

export function aProvider(overrides: Partial<ProviderContentInput> = {}): ProviderContentInput {
  return { name: 'Test-Sprachschule Landau', contact: { email: 'kurse@test.example' }, venues: [aVenue()], ...overrides };
}

export type CourseOverrides = Partial<CourseContentInput> & { days?: Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>; start?: string; end?: string };

/** A published in-person A1 course in Landau, Tue+Thu 09:00–12:00, unless overridden. */
export function aCourse(overrides: CourseOverrides = {}): CourseContentInput {
  const { days = ['tue', 'thu'], start = '09:00', end = '12:00', ...rest } = overrides;
  return {
    title: { de: 'Integrationskurs A1', en: 'Integration course A1' },
    description: { de: 'Deutsch lernen für den Alltag.' },
    type: 'integration_general',
    level: 'A1',
    targetLevel: 'B1',
    mode: 'in_person',
    venue: aVenue(),
    schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: days.map((day) => ({ day, start, end })) },
    startDate: '2027-01-11',
    endDate: '2027-07-30',
    rollingEntry: false,
    womenOnly: false,
    childcare: { available: false },
    cost: { free: true },
    seats: { capacity: 20, available: 5, waitlist: 0 },
    status: 'published',
    ...rest,
  };
}

export type Session = { token: string; auth: { Authorization: string }; userId: string; providerId?: string };

/** Creates a user straight through the service and logs in through HTTP. */
export async function loginAs(t: TestApp, role: Role, providerId?: string): Promise<Session> {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const password = 'correct horse battery';
  const user = await t.services.accounts.createUser({ email, password, role, ...(providerId ? { providerId } : {}) });
  const res = await t.http.post('/api/v1/auth/token').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token, auth: { Authorization: `Bearer ${res.body.token}` }, userId: user.id, ...(providerId ? { providerId } : {}) };
}

/** A provider created by the system, for arranging tests. */
export async function givenProvider(t: TestApp, overrides: Partial<ProviderContentInput> = {}): Promise<string> {
  const provider = await t.services.providers.create('system', createProviderBodySchema.parse({ ...aProvider(overrides), verified: true }));
  return provider.id;
}
