/**
 * The course editor's form: what the browser sends (all strings and ticked boxes), turned into a course for the
 * zod schema, and back. The form keeps exactly what was typed, so a rejected save shows it all again.
 */
import { z } from 'zod';
import type { Translate } from '../i18n/i18n';
import { LANGUAGES } from '../lib/localized-text';
import type { Venue } from '../providers/venue.schema';
import type { CourseContent } from '../courses/course.schema';

export type SessionRow = { day: string; start: string; end: string };
type Texts = Record<string, string>;

/** A nested group of fields; anything else a hand-made request sends (a list, a string) counts as empty, never as an error. */
const isFields = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = z.preprocess((value) => (typeof value === 'string' ? value : ''), z.string().max(20_000));
const ticked = z.preprocess((value) => value === '1' || value === 'on' || value === 'true', z.boolean());
const texts = z.preprocess((value) => (isFields(value) ? value : {}), z.record(z.string(), str)).transform((map) =>
  Object.fromEntries(LANGUAGES.map((lang) => [lang, map[lang] ?? ''])),
);
const row = z.preprocess((value) => (isFields(value) ? value : {}), z.object({ day: str, start: str, end: str }));
const rows = z.preprocess((value) => (Array.isArray(value) ? value : isFields(value) ? Object.values(value) : []), z.array(row).max(40));
const group = <T extends z.ZodRawShape>(shape: T) => z.preprocess((value) => (isFields(value) ? value : {}), z.object(shape));

/** The editor's fields as typed. Nothing here rejects: checking is the course schema's job. */
export const courseFormSchema = z.object({
  title: texts,
  description: texts,
  type: str,
  level: str,
  targetLevel: str,
  exam: str,
  mode: str,
  venue: str,
  timezone: str,
  flexible: ticked,
  sessions: rows,
  startDate: str,
  endDate: str,
  rollingEntry: ticked,
  lessonsTotal: str,
  lessonsPerWeek: str,
  womenOnly: ticked,
  childcare: group({ available: ticked, minAgeMonths: str, maxAgeMonths: str, places: str, onSite: ticked, note: str }),
  cost: group({ free: ticked, pricePerLessonEur: str, note: str }),
  seats: group({ capacity: str, available: str, waitlist: str }),
  registration: group({ contact: str, email: str, phone: str, url: str, deadline: str, note: texts }),
  status: str,
});
export type CourseForm = z.infer<typeof courseFormSchema>;

/** The editor shows at least this many session rows; "more rows" adds as many again. */
export const SESSION_ROWS = 4;

export function formFromBody(body: unknown): CourseForm {
  const form = courseFormSchema.parse(body ?? {});
  return { ...form, sessions: form.sessions.filter((s) => s.day || s.start || s.end) };
}

export function emptyForm(): CourseForm {
  return formFromBody({ timezone: 'Europe/Berlin', status: 'draft', type: 'integration_general', level: 'A1', targetLevel: 'A1', mode: 'in_person' });
}

/** A venue's select value: its place in the organisation's list, or `current` for the course's own copy. */
export function venueChoice(venue: Venue | undefined, venues: readonly Venue[]): string {
  if (!venue) return '';
  const index = venues.findIndex((v) => v.name === venue.name && v.street === venue.street && v.postcode === venue.postcode);
  return index >= 0 ? `v${index}` : 'current';
}

const text = (value: string | number | undefined) => (value === undefined ? '' : String(value));
const allTexts = (map: Texts | undefined) => Object.fromEntries(LANGUAGES.map((lang) => [lang, map?.[lang] ?? '']));

export function formFromCourse(course: CourseContent, venues: readonly Venue[]): CourseForm {
  const { childcare, cost, seats, registration } = course;
  return {
    title: allTexts(course.title),
    description: allTexts(course.description),
    type: course.type,
    level: course.level,
    targetLevel: course.targetLevel,
    exam: text(course.exam),
    mode: course.mode,
    venue: venueChoice(course.venue, venues),
    timezone: course.schedule.timezone,
    flexible: course.schedule.flexible,
    sessions: course.schedule.sessions.map((s) => ({ ...s })),
    startDate: course.startDate,
    endDate: course.endDate,
    rollingEntry: course.rollingEntry,
    lessonsTotal: text(course.lessonsTotal),
    lessonsPerWeek: text(course.lessonsPerWeek),
    womenOnly: course.womenOnly,
    childcare: {
      available: childcare.available,
      minAgeMonths: text(childcare.minAgeMonths),
      maxAgeMonths: text(childcare.maxAgeMonths),
      places: text(childcare.places),
      onSite: childcare.onSite ?? false,
      note: text(childcare.note),
    },
    cost: { free: cost.free, pricePerLessonEur: text(cost.pricePerLessonEur), note: text(cost.note) },
    seats: { capacity: text(seats.capacity), available: text(seats.available), waitlist: text(seats.waitlist) },
    registration: {
      contact: text(registration?.contact),
      email: text(registration?.email),
      phone: text(registration?.phone),
      url: text(registration?.url),
      deadline: text(registration?.deadline),
      note: allTexts(registration?.note),
    },
    status: course.status,
  };
}

/** An empty field is an absent value; a number that is not one is passed on as typed, for the schema to reject. */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function optionalText(value: string): string | undefined {
  return value.trim() === '' ? undefined : value;
}

function filledTexts(map: Texts): Texts | undefined {
  const filled = Object.entries(map).filter(([, value]) => value.trim() !== '');
  return filled.length > 0 ? Object.fromEntries(filled) : undefined;
}

/** Leaves out every absent value, so the stored course holds no empty keys. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** The course as the schema reads it (not yet checked). `currentVenue`: the course's own venue copy, if any. */
export function courseFromForm(form: CourseForm, venues: readonly Venue[], currentVenue?: Venue): Record<string, unknown> {
  const chosen = form.venue === 'current' ? currentVenue : /^v\d+$/.test(form.venue) ? venues[Number(form.venue.slice(1))] : undefined;
  const venue = form.mode === 'online' ? undefined : chosen;
  const registration = compact({
    contact: optionalText(form.registration.contact),
    email: optionalText(form.registration.email),
    phone: optionalText(form.registration.phone),
    url: optionalText(form.registration.url),
    deadline: optionalText(form.registration.deadline),
    note: filledTexts(form.registration.note),
  });
  return compact({
    title: filledTexts(form.title) ?? {},
    description: filledTexts(form.description),
    type: form.type,
    level: form.level,
    targetLevel: form.targetLevel,
    exam: optionalText(form.exam),
    mode: form.mode,
    venue,
    schedule: { timezone: form.timezone || 'Europe/Berlin', flexible: form.flexible, sessions: form.flexible ? [] : form.sessions },
    startDate: form.startDate,
    endDate: form.endDate,
    rollingEntry: form.rollingEntry,
    lessonsTotal: numberOrText(form.lessonsTotal),
    lessonsPerWeek: numberOrText(form.lessonsPerWeek),
    womenOnly: form.womenOnly,
    childcare: form.childcare.available
      ? compact({
          available: true,
          minAgeMonths: numberOrText(form.childcare.minAgeMonths),
          maxAgeMonths: numberOrText(form.childcare.maxAgeMonths),
          places: numberOrText(form.childcare.places),
          onSite: form.childcare.onSite || undefined,
          note: optionalText(form.childcare.note),
        })
      : { available: false },
    cost: compact({ free: form.cost.free, pricePerLessonEur: form.cost.free ? undefined : numberOrText(form.cost.pricePerLessonEur), note: optionalText(form.cost.note) }),
    seats: compact({ capacity: numberOrText(form.seats.capacity), available: numberOrText(form.seats.available), waitlist: numberOrText(form.seats.waitlist) }),
    registration: Object.keys(registration).length > 0 ? registration : undefined,
    status: form.status,
  });
}

/** Which parts of the form hold each top-level course field (for the conflict screen's "take theirs"). */
export const FORM_KEYS_OF_FIELD: Record<string, ReadonlyArray<keyof CourseForm>> = {
  title: ['title'], description: ['description'], type: ['type'], level: ['level'], targetLevel: ['targetLevel'], exam: ['exam'],
  mode: ['mode'], venue: ['venue'], schedule: ['timezone', 'flexible', 'sessions'], startDate: ['startDate'], endDate: ['endDate'],
  rollingEntry: ['rollingEntry'], lessonsTotal: ['lessonsTotal'], lessonsPerWeek: ['lessonsPerWeek'], womenOnly: ['womenOnly'],
  childcare: ['childcare'], cost: ['cost'], seats: ['seats'], registration: ['registration'], status: ['status'],
};

export type FieldError = { fieldId: string; message: string };

/** A zod issue's path as the id of the form field that shows it (`schedule.sessions.0.end` → `sessions-0-end`). */
export function fieldIdOf(path: ReadonlyArray<PropertyKey>): string {
  const parts = path.map(String);
  if (parts[0] === 'schedule') parts.shift();
  if (parts[0] === 'venue') return 'venue';
  if (parts[0] === 'registration' && parts[1] === 'note') return `registration-note-${parts[2] ?? 'de'}`;
  if ((parts[0] === 'title' || parts[0] === 'description') && parts.length === 1) return `${parts[0]}-de`;
  if (parts[0] === 'timezone') return 'sessions';
  return parts.join('-') || 'title-de';
}

type Issue = z.core.$ZodIssue;

/** The rule a custom refinement broke, named by the field it reports on. */
const CUSTOM_RULES: Record<string, string> = {
  targetLevel: 'belowLevel',
  endDate: 'endBeforeStart',
  venue: 'venueRequired',
  sessions: 'sessionsNeeded',
  maxAgeMonths: 'maxBelowMin',
  available: 'aboveCapacity',
  end: 'endBeforeStartTime',
  de: 'germanRequired',
};

function messageKey(issue: Issue): { key: string; values?: Record<string, number> } {
  const last = String(issue.path[issue.path.length - 1] ?? '');
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves the input out of its issues; its message names what it received.
      return { key: /received undefined/.test(issue.message) ? 'required' : issue.expected === 'number' ? 'notNumber' : 'invalid' };
    case 'too_small':
      if (issue.origin === 'string') return { key: 'required' };
      if (issue.origin === 'number') return { key: 'tooSmall', values: { min: Number(issue.minimum) } };
      return { key: 'invalid' };
    case 'too_big':
      return issue.origin === 'number' ? { key: 'tooBig', values: { max: Number(issue.maximum) } } : { key: 'tooLong' };
    case 'invalid_format':
      return { key: `format.${['email', 'url', 'phone', 'postcode'].includes(last) ? last : 'other'}` };
    case 'invalid_value':
      return { key: 'choose' };
    case 'custom':
      if (last === 'sessions' && /flexible/.test(issue.message)) return { key: 'sessionsFlexible' };
      if (/calendar date/.test(issue.message)) return { key: 'date' };
      return { key: CUSTOM_RULES[last] ?? 'invalid' };
    default:
      return { key: 'invalid' };
  }
}

/** The schema's complaints as messages in the reader's language, one per field (the first wins). */
export function fieldErrors(issues: readonly Issue[], t: Translate, idOf: (path: ReadonlyArray<PropertyKey>) => string = fieldIdOf): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const fieldId = idOf(issue.path);
    if (byField.has(fieldId)) continue;
    const { key, values } = messageKey(issue);
    byField.set(fieldId, t(`workspace:errors.${key}`, values));
  }
  return [...byField].map(([fieldId, message]) => ({ fieldId, message }));
}
