import { LEVELS, SLOTS } from '../courses/course.enums';
import type { Translate } from '../i18n/i18n';
import { LANGUAGE_NAMES, UI_LANGUAGES } from '../i18n/languages';
import { resolvePlace } from '../places/places';
import { weekGrid, type WeekGrid } from '../search/results-view';
import { MAX_CHILDREN } from '../search/search-query.schema';
import { DEFAULT_MAX_DISTANCE_KM, WOMEN_ONLY_WISHES } from '../matching/client-profile.schema';
import type { Formatters } from '../web/format';
import { CLIENT_LABEL_MAX, CLIENT_NOTE_MAX, clientBodySchema, type ClientBody, type ClientResponse } from './client.schema';

/** Child fields shown without JavaScript (the profile takes up to MAX_CHILDREN). */
const CHILD_FIELDS = 3;
/** The fields of the form, in page order: an error summary lists them so, and each links to its field's id. */
export const FORM_FIELDS = ['label', 'level', 'slots', 'childAgesMonths', 'womenOnly', 'location', 'maxDistanceKm', 'onlinePossible', 'freeOnly', 'startBy', 'lang', 'note'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
const FIELD_IDS: Record<FormField, string> = {
  label: 'label', level: 'level-A1', slots: 'when', childAgesMonths: 'child-1', womenOnly: 'women-no', location: 'place', maxDistanceKm: 'maxDistanceKm',
  onlinePossible: 'onlinePossible', freeOnly: 'freeOnly', startBy: 'startBy', lang: 'lang', note: 'note',
};

/** What the counselor typed, as text, so that a form with errors comes back with nothing lost. */
export type FormValues = {
  label: string; note: string; level: string; slots: string[]; childAgesMonths: string[]; womenOnly: string; place: string;
  maxDistanceKm: string; onlinePossible: boolean; freeOnly: boolean; startBy: string; lang: string;
};
export type FormErrors = Partial<Record<FormField, string>>;

const texts = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
const text = (value: unknown): string => texts(value).at(-1)?.trim() ?? '';

export function formValuesFromBody(body: Record<string, unknown>): FormValues {
  return {
    label: text(body.label),
    note: text(body.note),
    level: text(body.level),
    slots: texts(body.slots).filter((slot) => (SLOTS as readonly string[]).includes(slot)),
    childAgesMonths: texts(body.childAgesMonths).map((age) => age.trim()).slice(0, 20),
    womenOnly: text(body.womenOnly),
    place: text(body.place),
    maxDistanceKm: text(body.maxDistanceKm),
    onlinePossible: text(body.onlinePossible) === 'true',
    freeOnly: text(body.freeOnly) === 'true',
    startBy: text(body.startBy),
    lang: text(body.lang),
  };
}

export function formValuesFromClient(client?: ClientResponse): FormValues {
  if (!client) {
    return { label: '', note: '', level: '', slots: [], childAgesMonths: [], womenOnly: 'no', place: '', maxDistanceKm: String(DEFAULT_MAX_DISTANCE_KM), onlinePossible: false, freeOnly: false, startBy: '', lang: 'de' };
  }
  const location = client.location;
  const place = !location ? '' : 'postcode' in location ? location.postcode : 'place' in location ? location.place : `${location.near.lat},${location.near.lng}`;
  return {
    label: client.label, note: client.note, level: client.level, slots: client.slots, childAgesMonths: client.childAgesMonths.map(String), womenOnly: client.womenOnly,
    place, maxDistanceKm: String(client.maxDistanceKm), onlinePossible: client.onlinePossible, freeOnly: client.freeOnly, startBy: client.startBy ?? '', lang: client.lang,
  };
}

function locationOf(place: string): ClientBody['location'] | 'invalid' {
  if (place === '') return undefined;
  if (/^\d{5}$/.test(place)) return { postcode: place };
  const near = /^(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)$/.exec(place);
  if (near) return { near: { lat: Number(near[1]), lng: Number(near[2]) } };
  return resolvePlace(place).kind === 'found' ? { place } : 'invalid';
}

/** The form's values as a profile, or the fields that are wrong (each with the message shown beside it). */
export function parseFormValues(values: FormValues, t: Translate): { body: ClientBody } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const message = (field: FormField) => fieldMessage(field, t);
  const location = locationOf(values.place);
  if (location === 'invalid') errors.location = message('location');
  const ages = values.childAgesMonths.filter((age) => age !== '');
  const input = {
    label: values.label,
    note: values.note,
    level: values.level,
    slots: values.slots,
    childAgesMonths: ages.map((age) => (/^\d{1,3}$/.test(age) ? Number(age) : NaN)),
    womenOnly: values.womenOnly || 'no',
    ...(location && location !== 'invalid' ? { location } : {}),
    maxDistanceKm: values.maxDistanceKm === '' ? DEFAULT_MAX_DISTANCE_KM : Number(values.maxDistanceKm.replace(',', '.')),
    onlinePossible: values.onlinePossible,
    freeOnly: values.freeOnly,
    ...(values.startBy ? { startBy: values.startBy } : {}),
    lang: values.lang,
  };
  const parsed = clientBodySchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '') as FormField;
      errors[(FORM_FIELDS as readonly string[]).includes(field) ? field : 'label'] ??= message(field);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { body: parsed.data };
}

function fieldMessage(field: FormField, t: Translate): string {
  return (FORM_FIELDS as readonly string[]).includes(field) ? t(`counselor:form.errors.${field}`, { max: field === 'note' ? CLIENT_NOTE_MAX : CLIENT_LABEL_MAX }) : t('counselor:form.errors.other');
}

/** The fields a service's 400 names (such as a start date that has passed), as form errors. */
export function fieldErrors(details: ReadonlyArray<{ param: string }>, t: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const { param } of details) {
    const field = param.split('.')[0] as FormField;
    errors[(FORM_FIELDS as readonly string[]).includes(field) ? field : 'label'] ??= fieldMessage(field, t);
  }
  return errors;
}

export type ClientFormView = {
  values: FormValues;
  errors: FormErrors;
  /** for the error summary and the field-error partial: each error with the id of its field */
  errorList: Array<{ fieldId: string; message: string }>;
  fieldIds: Record<FormField, string>;
  levels: Array<{ value: string; label: string; hint: string; checked: boolean }>;
  grid: WeekGrid;
  childAges: string[];
  womenOnly: Array<{ value: string; label: string; checked: boolean }>;
  languages: Array<{ value: string; label: string; selected: boolean }>;
  labelMax: number;
  noteMax: number;
};

/** The form's view: the start page's level choices and week grid, with what was typed and the errors beside each field. */
export function clientFormView(values: FormValues, errors: FormErrors, fmt: Formatters, t: Translate): ClientFormView {
  return {
    values,
    errors,
    errorList: FORM_FIELDS.filter((field) => errors[field]).map((field) => ({ fieldId: FIELD_IDS[field], message: errors[field] ?? '' })),
    fieldIds: FIELD_IDS,
    levels: LEVELS.filter((value) => value !== 'C2').map((value) => ({ value, label: t(`search:level.option.${value}.label`), hint: t(`search:level.option.${value}.hint`), checked: values.level === value })),
    grid: weekGrid(values.slots, fmt, t),
    childAges: Array.from({ length: Math.min(MAX_CHILDREN, Math.max(CHILD_FIELDS, values.childAgesMonths.length)) }, (_, i) => values.childAgesMonths[i] ?? ''),
    womenOnly: WOMEN_ONLY_WISHES.map((value) => ({ value, label: t(`counselor:form.women${value === 'no' ? 'No' : value === 'required' ? 'Required' : 'Preferred'}`), checked: (values.womenOnly || 'no') === value })),
    languages: UI_LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code], selected: values.lang === code })),
    labelMax: CLIENT_LABEL_MAX,
    noteMax: CLIENT_NOTE_MAX,
  };
}
