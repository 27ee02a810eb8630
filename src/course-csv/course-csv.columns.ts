import { COURSE_STATUSES, COURSE_TYPES, LEVELS, MODES } from '../courses/course.enums';
import type { CourseContent } from '../courses/course.schema';
import { LANGUAGES } from '../lib/localized-text';
import { booleanCell, dateCell, decimalCell, enumCell, integerCell, sessionsCell, textCell, type CellCodec } from './csv-cells';

/**
 * One column of the course CSV: its header, where its value lives in the course body (`POST /api/v1/courses`),
 * how a cell is read and written, and an example for the template. Import and export both use this one list,
 * so the two cannot drift apart.
 */
export type CsvColumn = {
  name: string;
  path: readonly string[];
  codec: CellCodec;
  example: string;
  /** only in admins' files: whose course it is */
  adminOnly?: boolean;
};

function column(name: string, path: readonly string[], codec: CellCodec, example = ''): CsvColumn {
  return { name, path, codec, example };
}

/** A localized text as one column per content language (`title_de`, `title_en`, …). */
function perLanguage(prefix: string, path: readonly string[], examples: Partial<Record<string, string>> = {}): CsvColumn[] {
  return LANGUAGES.map((lang) => column(`${prefix}_${lang}`, [...path, lang], textCell, examples[lang] ?? ''));
}

/** The venue is named, not spelled out: the import takes the provider's venue of that name (case and spaces ignored). */
export const VENUE_COLUMN = 'venue';
export const PROVIDER_COLUMN = 'providerId';

export const COURSE_CSV_COLUMNS: readonly CsvColumn[] = [
  { name: PROVIDER_COLUMN, path: ['providerId'], codec: textCell, example: '', adminOnly: true },
  ...perLanguage('title', ['title'], { de: 'Integrationskurs A1 am Vormittag', en: 'Integration course A1 (mornings)' }),
  ...perLanguage('description', ['description'], { de: 'Deutsch für den Alltag.\nMit Kinderbetreuung im Haus.' }),
  column('type', ['type'], enumCell(COURSE_TYPES), 'integration_general'),
  column('level', ['level'], enumCell(LEVELS), 'A1'),
  column('targetLevel', ['targetLevel'], enumCell(LEVELS), 'B1'),
  column('exam', ['exam'], textCell, 'DTZ'),
  column('mode', ['mode'], enumCell(MODES), 'in_person'),
  column(VENUE_COLUMN, ['venue'], { parse: (cell) => ({ ok: true, value: cell }), format: (venue) => (venue as { name: string }).name }, 'Haus am Maulbeerbaum'),
  column('sessions', ['schedule'], sessionsCell, 'Di 09:00-12:00 | Do 09:00-12:00'),
  column('timezone', ['schedule', 'timezone'], textCell, 'Europe/Berlin'),
  column('startDate', ['startDate'], dateCell, '11.01.2027'),
  column('endDate', ['endDate'], dateCell, '30.07.2027'),
  column('rollingEntry', ['rollingEntry'], booleanCell, 'nein'),
  column('lessonsTotal', ['lessonsTotal'], integerCell, '700'),
  column('lessonsPerWeek', ['lessonsPerWeek'], integerCell, '15'),
  column('womenOnly', ['womenOnly'], booleanCell, 'nein'),
  column('childcare', ['childcare', 'available'], booleanCell, 'ja'),
  column('childcare_minAgeMonths', ['childcare', 'minAgeMonths'], integerCell, '12'),
  column('childcare_maxAgeMonths', ['childcare', 'maxAgeMonths'], integerCell, '72'),
  column('childcare_places', ['childcare', 'places'], integerCell, '8'),
  column('childcare_onSite', ['childcare', 'onSite'], booleanCell, 'ja'),
  column('childcare_note', ['childcare', 'note'], textCell),
  column('cost_free', ['cost', 'free'], booleanCell, 'nein'),
  column('cost_pricePerLessonEur', ['cost', 'pricePerLessonEur'], decimalCell, '2,29'),
  column('cost_note', ['cost', 'note'], textCell, 'Kostenbefreiung möglich'),
  column('seats_capacity', ['seats', 'capacity'], integerCell, '20'),
  column('seats_available', ['seats', 'available'], integerCell, '5'),
  column('seats_waitlist', ['seats', 'waitlist'], integerCell, '0'),
  column('registration_contact', ['registration', 'contact'], textCell, 'Frau Yılmaz'),
  column('registration_email', ['registration', 'email'], textCell, 'kurse@beispiel.example'),
  column('registration_phone', ['registration', 'phone'], textCell, '06341 123456'),
  column('registration_url', ['registration', 'url'], textCell),
  column('registration_deadline', ['registration', 'deadline'], dateCell, '15.12.2026'),
  ...perLanguage('registration_note', ['registration', 'note']),
  column('status', ['status'], enumCell(COURSE_STATUSES), 'draft'),
];

/**
 * Every field of the course schema has a column (checked by the compiler: a new course field fails to build
 * until it is added here), and tests/course-csv/columns.test.ts checks that every leaf of the schema is reached.
 */
const TOP_LEVEL_FIELDS: Record<keyof CourseContent, true> = {
  title: true,
  description: true,
  type: true,
  level: true,
  targetLevel: true,
  exam: true,
  mode: true,
  venue: true,
  schedule: true,
  startDate: true,
  endDate: true,
  rollingEntry: true,
  lessonsTotal: true,
  lessonsPerWeek: true,
  womenOnly: true,
  childcare: true,
  cost: true,
  seats: true,
  registration: true,
  status: true,
};
const missing = Object.keys(TOP_LEVEL_FIELDS).filter((field) => !COURSE_CSV_COLUMNS.some((c) => c.path[0] === field));
if (missing.length > 0) throw new Error(`course CSV: no column for ${missing.join(', ')}`);

/** The columns of a file for this audience: admins' files carry `providerId`, providers' and the public's do not. */
export function columnsFor(withProvider: boolean): readonly CsvColumn[] {
  return COURSE_CSV_COLUMNS.filter((c) => withProvider || !c.adminOnly);
}

/**
 * The column a validation issue belongs to: the column whose path is the longest prefix of the path
 * (`childcare.maxAgeMonths` → `childcare_maxAgeMonths`, `schedule.sessions.0.end` → `sessions`), else the
 * first column below it (`cost` → `cost_free`).
 */
export function columnOfPath(path: readonly PropertyKey[]): string {
  const key = path.map(String);
  let best: CsvColumn | undefined;
  for (const c of COURSE_CSV_COLUMNS) {
    const isPrefix = c.path.length <= key.length && c.path.every((part, i) => part === key[i]);
    if (isPrefix && (!best || c.path.length > best.path.length)) best = c;
  }
  if (best) return best.name;
  const below = COURSE_CSV_COLUMNS.find((c) => key.every((part, i) => c.path[i] === part));
  return below?.name ?? (key[0] ?? '(row)');
}

function valueAt(source: unknown, path: readonly string[]): unknown {
  let node = source;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Writes a cell's value into the body; object values merge (`sessions` and `timezone` both fill `schedule`). */
export function assignAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = path[path.length - 1] ?? '';
  const existing = node[last];
  node[last] = typeof existing === 'object' && existing !== null && typeof value === 'object' && value !== null ? { ...existing, ...value } : value;
}

/** A stored course (or any object with its fields) as the cells of one CSV row, before formula neutralising. */
export function formatRow(course: Record<string, unknown>, columns: readonly CsvColumn[]): string[] {
  return columns.map((c) => {
    const value = valueAt(course, c.path);
    return value === undefined || value === null ? '' : c.codec.format(value);
  });
}
