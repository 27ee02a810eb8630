import { LEVELS, SLOTS } from '../courses/course.enums';
import type { Translate } from '../i18n/i18n';
import type { Formatters } from '../web/format';
import { MAX_CHILDREN } from './search-query.schema';
import { weekGrid, type WeekGrid } from './results-view';

/** Children's ages offered on the start page: half-years up to three (childcare bounds are finest there), then years. */
const AGE_OPTIONS_MONTHS = [0, 6, 12, 18, 24, 30, ...Array.from({ length: 15 }, (_, i) => (i + 3) * 12)];
/** Selects shown without JavaScript; a script adds more, up to MAX_CHILDREN. */
const CHILD_FIELDS = 3;

export type GuidedForm = {
  levels: Array<{ value: string; label: string; hint: string; checked: boolean }>;
  grid: WeekGrid;
  ageOptions: Array<{ value: string; label: string }>;
  childAges: string[];
  /** how many children a search takes: the start page's script adds fields up to this */
  maxChildren: number;
  womenOnly: boolean;
  place: string;
  near: string;
  radiusKm: string;
  includeOnline: boolean;
  free: boolean;
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').flatMap((item) => item.split(','));
const first = (value: unknown): string => strings(value)[0]?.trim() ?? '';

/**
 * The guided search form, filled from whatever the query holds (also an invalid one: the 400 page shows the form
 * again with what was typed). Only known values are taken over; everything is escaped by the template.
 */
export function guidedForm(raw: Record<string, unknown>, fmt: Formatters, t: Translate): GuidedForm {
  const level = first(raw.level);
  const slots = strings(raw.slots).filter((slot) => (SLOTS as readonly string[]).includes(slot));
  const ages = strings(raw.childAgeMonths).map((age) => age.trim()).filter((age) => /^\d{1,3}$/.test(age));
  const ageOptions = AGE_OPTIONS_MONTHS.map((months) => ({
    value: String(months),
    label: months < 36 ? t('search:children.ageMonthsRange', { from: fmt.number(months), to: fmt.number(months + 5) }) : t('common:age.years', { count: months / 12 }),
  }));
  return {
    levels: [
      ...LEVELS.filter((value) => value !== 'C2').map((value) => ({ value, label: t(`search:level.option.${value}.label`), hint: t(`search:level.option.${value}.hint`), checked: level === value })),
      { value: '', label: t('search:level.option.unknown.label'), hint: t('search:level.option.unknown.hint'), checked: level === '' },
    ],
    grid: weekGrid(slots, fmt, t),
    ageOptions,
    maxChildren: MAX_CHILDREN,
    childAges: Array.from({ length: Math.min(MAX_CHILDREN, Math.max(CHILD_FIELDS, ages.length)) }, (_, i) => ages[i] ?? ''),
    womenOnly: first(raw.womenOnly) === 'true',
    place: first(raw.place) || first(raw.postcode),
    near: first(raw.near),
    radiusKm: first(raw.radiusKm),
    includeOnline: first(raw.includeOnline) === 'true',
    free: first(raw.free) === 'true',
  };
}
