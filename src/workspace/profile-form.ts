/**
 * The organisation profile's form: texts per language, contact, staff languages and the venues as rows.
 * Venues without coordinates get them from the offline place lookup (postcode, else place name); typed numbers win.
 */
import { z } from 'zod';
import type { Translate } from '../i18n/i18n';
import { LANGUAGES } from '../lib/localized-text';
import { postcodePoint, resolvePlace } from '../places/places';
import type { ProviderRecord } from '../providers/provider.model';
import { providerContentSchema } from '../providers/provider.schema';
import { fieldErrors, type FieldError } from './course-form';

const str = z.preprocess((value) => (typeof value === 'string' ? value : ''), z.string().max(20_000));
const ticked = z.preprocess((value) => value === '1' || value === 'on' || value === 'true', z.boolean());
const venueRow = z.preprocess(
  (value) => (value && typeof value === 'object' ? value : {}),
  z.object({ name: str, street: str, postcode: str, city: str, lat: str, lng: str, stepFree: ticked, accessNote: str, transitNote: str, remove: ticked }),
);

export const profileFormSchema = z.object({
  name: str,
  description: z.preprocess((value) => (value && typeof value === 'object' ? value : {}), z.record(z.string(), str)).transform((map) =>
    Object.fromEntries(LANGUAGES.map((lang) => [lang, map[lang] ?? ''])),
  ),
  contact: z.preprocess((value) => (value && typeof value === 'object' ? value : {}), z.object({ email: str, phone: str, website: str })),
  staffLanguages: str,
  bamfApprovalNumber: str,
  venues: z.preprocess((value) => (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : []), z.array(venueRow).max(100)),
});
export type ProfileForm = z.infer<typeof profileFormSchema>;
type VenueRow = ProfileForm['venues'][number];

const isEmptyRow = (row: VenueRow) => !row.name && !row.street && !row.postcode && !row.city && !row.lat && !row.lng;

export function profileFromBody(body: unknown): ProfileForm {
  const form = profileFormSchema.parse(body ?? {});
  return { ...form, venues: form.venues.filter((row) => !row.remove && !isEmptyRow(row)) };
}

export function profileFormOf(provider: ProviderRecord): ProfileForm {
  return {
    name: provider.name,
    description: Object.fromEntries(LANGUAGES.map((lang) => [lang, provider.description?.[lang] ?? ''])),
    contact: { email: provider.contact?.email ?? '', phone: provider.contact?.phone ?? '', website: provider.contact?.website ?? '' },
    staffLanguages: (provider.staffLanguages ?? []).join(', '),
    bamfApprovalNumber: provider.bamfApprovalNumber ?? '',
    venues: (provider.venues ?? []).map((venue) => ({
      name: venue.name,
      street: venue.street,
      postcode: venue.postcode,
      city: venue.city,
      lat: String(venue.lat),
      lng: String(venue.lng),
      stepFree: venue.accessibility?.stepFree ?? false,
      accessNote: venue.accessibility?.note ?? '',
      transitNote: venue.transitNote ?? '',
      remove: false,
    })),
  };
}

function coordinate(value: string): number | string | undefined {
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Where a venue is when its coordinates were left empty: its postcode's centre, else its place. */
function lookedUp(row: VenueRow): { lat: number; lng: number } | undefined {
  const byPostcode = postcodePoint(row.postcode);
  if (byPostcode) return byPostcode;
  const place = resolvePlace(row.city);
  return place.kind === 'found' ? { lat: place.place.lat, lng: place.place.lng } : undefined;
}

function venueOf(row: VenueRow): Record<string, unknown> {
  const typed = { lat: coordinate(row.lat), lng: coordinate(row.lng) };
  const point = typed.lat === undefined && typed.lng === undefined ? lookedUp(row) : undefined;
  const accessNote = row.accessNote.trim() || undefined;
  return {
    name: row.name,
    street: row.street,
    postcode: row.postcode.trim(),
    city: row.city,
    lat: point?.lat ?? typed.lat,
    lng: point?.lng ?? typed.lng,
    ...(row.stepFree || accessNote ? { accessibility: { stepFree: row.stepFree, ...(accessNote ? { note: accessNote } : {}) } } : {}),
    ...(row.transitNote.trim() ? { transitNote: row.transitNote } : {}),
  };
}

/**
 * The profile as a merge patch for the providers service (an emptied text or contact field is `null`: removed),
 * and the schema's complaints about the result.
 */
export function profileFromForm(form: ProfileForm, currentName: string): { content: Record<string, unknown>; issues: z.core.$ZodIssue[] } {
  const orNull = (value: string) => (value.trim() === '' ? null : value);
  const patch = {
    name: form.name.trim() === '' ? currentName : form.name,
    description: Object.fromEntries(Object.entries(form.description).map(([lang, value]) => [lang, orNull(value)])),
    contact: { email: orNull(form.contact.email), phone: orNull(form.contact.phone), website: orNull(form.contact.website) },
    staffLanguages: form.staffLanguages.split(/[\s,;]+/).map((code) => code.trim().toLowerCase()).filter(Boolean),
    bamfApprovalNumber: orNull(form.bamfApprovalNumber),
    venues: form.venues.map(venueOf),
  };
  const withoutNulls = JSON.parse(JSON.stringify(patch, (_key, value: unknown) => (value === null ? undefined : value))) as Record<string, unknown>;
  const checked = providerContentSchema.safeParse(withoutNulls);
  return { content: patch, issues: checked.success ? [] : checked.error.issues };
}

/** `venues.0.postcode` → `venues-0-postcode`; a language code in the list → the list's field. */
function profileFieldId(path: ReadonlyArray<PropertyKey>): string {
  const parts = path.map(String);
  if (parts[0] === 'staffLanguages') return 'staffLanguages';
  if (parts[0] === 'venues' && (parts[2] === 'accessibility')) return `venues-${parts[1]}-accessNote`;
  if (parts[0] === 'description' && parts.length === 1) return 'description-de';
  return parts.join('-') || 'name';
}

export function profileErrors(issues: readonly z.core.$ZodIssue[], t: Translate): FieldError[] {
  return fieldErrors(issues, t, profileFieldId);
}
