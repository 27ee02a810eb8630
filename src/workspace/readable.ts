/** Stored values written for people: the conflict screen and the audit trail show old and new values with these. */
import type { Formatters } from '../web/format';
import type { Translate } from '../i18n/i18n';
import type { Day } from '../courses/course.enums';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSessionList(value: unknown): value is Array<{ day: Day; start: string; end: string }> {
  return Array.isArray(value) && value.every((item) => isRecord(item) && typeof item.day === 'string' && typeof item.start === 'string');
}

/** Any stored value as one line: texts per language, sessions as times, yes/no, nested objects as "key: value". */
export function readableValue(value: unknown, t: Translate, fmt: Formatters): string {
  if (value === undefined || value === null || value === '') return '–';
  if (typeof value === 'boolean') return t(value ? 'workspace:value.yes' : 'workspace:value.no');
  if (value instanceof Date) return value.toISOString().slice(0, 16).replace('T', ' ');
  if (typeof value === 'number') return fmt.number(value);
  if (typeof value !== 'object') return String(value);
  if (isSessionList(value)) return value.length === 0 ? '–' : fmt.sessions(value).join('; ');
  if (Array.isArray(value)) return value.map((item) => readableValue(item, t, fmt)).join(', ');
  return Object.entries(value)
    .map(([key, item]) => `${key}: ${readableValue(item, t, fmt)}`)
    .join('; ');
}

/** A field's label for a dotted path (`seats.available`), falling back to the path itself. */
export function fieldLabel(path: string, t: Translate): string {
  const key = `workspace:fields.${path.replaceAll('.', '_')}`;
  const label = t(key);
  if (label !== key && label !== `fields.${path.replaceAll('.', '_')}`) return label;
  const top = path.split('.')[0] ?? path;
  const topLabel = t(`workspace:fields.${top}`);
  return topLabel.startsWith('fields.') || topLabel.startsWith('workspace:') ? path : `${topLabel} (${path.split('.').slice(1).join('.')})`;
}
