import type { CourseRecord } from '../courses/course.model';
import type { Translate } from '../i18n/i18n';
import { pickLocalized } from '../lib/localized-text';
import type { ProviderRecord } from '../providers/provider.model';
import type { Venue } from '../providers/venue.schema';
import type { Formatters } from '../web/format';
import { coursePageUrl, pathInLanguage } from '../web/page-language';
import { hsdsId } from './hsds-ids';
import { toHsdsSchedules } from './hsds-schedule';
import type { TermEntry } from './hsds-taxonomy';
import type {
  HsdsAttribute,
  HsdsCapacity,
  HsdsContact,
  HsdsCostOption,
  HsdsLanguage,
  HsdsLocation,
  HsdsOrganization,
  HsdsOrganizationListItem,
  HsdsPhone,
  HsdsService,
  HsdsServiceListItem,
  HsdsTaxonomyTerm,
  HsdsUrl,
} from './hsds.types';

/** The data's language: providers write German first (the title must be German), so every published text is German. */
const DATA_LANGUAGE = 'de';

export type MapperContext = {
  /** `https://kurse.landau.de`: links to our own pages */
  origin: string;
  /** German texts (`opendata` namespace and the enum names) */
  t: Translate;
  fmt: Formatters;
  /** the taxonomy's terms by code */
  terms: ReadonlyMap<string, TermEntry>;
  /** every venue's state (HSDS requires one; the site serves one region) */
  stateProvince: string;
};

export type MappableCourse = Pick<
  CourseRecord,
  | '_id' | 'providerId' | 'title' | 'description' | 'type' | 'level' | 'targetLevel' | 'exam' | 'mode' | 'venue' | 'schedule' | 'startDate' | 'endDate'
  | 'rollingEntry' | 'womenOnly' | 'childcare' | 'cost' | 'seats' | 'registration' | 'lastConfirmedAt' | 'updatedAt'
>;
export type MappableProvider = Pick<ProviderRecord, '_id' | 'name' | 'description' | 'contact' | 'bamfApprovalNumber' | 'staffLanguages' | 'venues' | 'updatedAt'>;

function optional<K extends string, V>(key: K, value: V | undefined | ''): Partial<Record<K, V>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * A venue has no id of its own (it is a value inside a provider or a course), so its location id comes from the
 * provider and the venue's address: the same place listed by two courses is one location, and an address change
 * makes a new location.
 */
export function locationKey(providerId: string, venue: Pick<Venue, 'name' | 'street' | 'postcode'>): string {
  return hsdsId('location', providerId, venue.name.trim().toLowerCase(), venue.street.trim().toLowerCase(), venue.postcode);
}

export function toHsdsLocation(providerId: string, venue: Venue, ctx: MapperContext): HsdsLocation {
  const id = locationKey(providerId, venue);
  const accessibility = venue.accessibility
    ? [
        {
          id: hsdsId('accessibility', id),
          location_id: id,
          description: venue.accessibility.stepFree ? ctx.t('opendata:hsds.stepFree') : ctx.t('opendata:hsds.notStepFree'),
          ...optional('details', venue.accessibility.note),
        },
      ]
    : [];
  return {
    id,
    location_type: 'physical',
    organization_id: hsdsId('organization', providerId),
    name: venue.name,
    ...optional('transportation', venue.transitNote),
    latitude: venue.lat,
    longitude: venue.lng,
    addresses: [
      {
        id: hsdsId('address', id),
        location_id: id,
        address_1: venue.street,
        city: venue.city,
        state_province: ctx.stateProvince,
        postal_code: venue.postcode,
        country: 'DE',
        address_type: 'physical',
      },
    ],
    accessibility,
  };
}

export function toHsdsOrganizationListItem(provider: MappableProvider, ctx: MapperContext): HsdsOrganizationListItem {
  const id = provider._id.toString();
  return {
    id: hsdsId('organization', id),
    name: provider.name,
    // HSDS requires a description; a provider without one is described by its name.
    description: pickLocalized(provider.description, DATA_LANGUAGE) || provider.name,
    ...optional('email', provider.contact?.email),
    ...optional('website', provider.contact?.website),
    uri: `${ctx.origin}${pathInLanguage(`/providers/${id}`, DATA_LANGUAGE)}`,
  };
}

export function toHsdsOrganization(provider: MappableProvider, ctx: MapperContext): HsdsOrganization {
  const id = provider._id.toString();
  const organizationId = hsdsId('organization', id);
  const phones: HsdsPhone[] = provider.contact?.phone ? [{ id: hsdsId('organization_phone', id), organization_id: organizationId, number: provider.contact.phone }] : [];
  return {
    ...toHsdsOrganizationListItem(provider, ctx),
    phones,
    locations: (provider.venues ?? []).map((venue) => toHsdsLocation(id, venue, ctx)),
    organization_identifiers: provider.bamfApprovalNumber
      ? [{ id: hsdsId('organization_identifier', id, 'bamf'), organization_id: organizationId, identifier_type: ctx.t('opendata:hsds.bamfIdentifier'), identifier: provider.bamfApprovalNumber }]
      : [],
  };
}

function attribute(serviceId: string, entry: TermEntry, value?: string, label?: string): HsdsAttribute {
  const term: HsdsTaxonomyTerm = entry.term;
  return {
    id: hsdsId('attribute', serviceId, term.code ?? term.id),
    link_id: serviceId,
    link_type: 'service_classification',
    link_entity: 'service',
    taxonomy_term_id: term.id,
    taxonomy_term: term,
    ...optional('value', value),
    ...optional('label', label),
  };
}

/** Which children the childcare takes, as people read it ("1 Jahr bis 6 Jahre alt"). */
function childAgeText(course: MappableCourse, ctx: MapperContext): string {
  return ctx.fmt.childAges(course.childcare.minAgeMonths, course.childcare.maxAgeMonths);
}

function attributesOf(course: MappableCourse, serviceId: string, ctx: MapperContext): HsdsAttribute[] {
  const entry = (code: string) => {
    const found = ctx.terms.get(code);
    if (!found) throw new Error(`taxonomy term ${code} is missing`);
    return found;
  };
  const attributes = [
    attribute(serviceId, entry(`course_type:${course.type}`)),
    attribute(serviceId, entry(`level:${course.level}`), `${course.level}-${course.targetLevel}`, ctx.t('opendata:hsds.levelLabel', { level: ctx.fmt.level(course.level), target: ctx.fmt.level(course.targetLevel) })),
    attribute(serviceId, entry(`mode:${course.mode}`)),
  ];
  if (course.womenOnly) attributes.push(attribute(serviceId, entry('women_only'), 'true'));
  if (course.childcare.available) {
    const { minAgeMonths, maxAgeMonths } = course.childcare;
    // value: the children's age bounds in months, "min-max", an open bound left empty ("12-", "-36", "-").
    attributes.push(attribute(serviceId, entry('childcare'), `${minAgeMonths ?? ''}-${maxAgeMonths ?? ''}`, childAgeText(course, ctx)));
  }
  return attributes;
}

function eligibilityOf(course: MappableCourse, ctx: MapperContext): string | undefined {
  const parts: string[] = [];
  if (course.womenOnly) parts.push(ctx.t('opendata:hsds.womenOnly'));
  if (course.childcare.available) {
    parts.push(ctx.t('opendata:hsds.childcareFor', { ages: childAgeText(course, ctx) }));
  }
  parts.push(ctx.t('opendata:hsds.levelNeeded', { level: ctx.fmt.level(course.level) }));
  return parts.join(' ');
}

function costOptionsOf(course: MappableCourse, serviceId: string, id: string, ctx: MapperContext): HsdsCostOption[] {
  const base = { service_id: serviceId, valid_from: course.startDate, valid_to: course.endDate, currency: 'EUR' as const };
  if (course.cost.free) return [{ id: hsdsId('cost_option', id, 'free'), ...base, option: ctx.t('opendata:hsds.free'), amount: 0, ...optional('amount_description', course.cost.note) }];
  if (course.cost.pricePerLessonEur === undefined) return [];
  return [
    {
      id: hsdsId('cost_option', id, 'per_lesson'),
      ...base,
      option: ctx.t('opendata:hsds.perLesson'),
      amount: course.cost.pricePerLessonEur,
      ...optional('amount_description', course.cost.note),
    },
  ];
}

function feesOf(course: MappableCourse, ctx: MapperContext): string {
  const price = course.cost.free
    ? ctx.t('opendata:hsds.free')
    : course.cost.pricePerLessonEur !== undefined
      ? ctx.t('opendata:hsds.pricePerLesson', { price: ctx.fmt.euro(course.cost.pricePerLessonEur) })
      : ctx.t('opendata:hsds.priceOnRequest');
  return course.cost.note ? `${price} ${course.cost.note}` : price;
}

function capacitiesOf(course: MappableCourse, serviceId: string, id: string, ctx: MapperContext): HsdsCapacity[] {
  if (course.seats.available === undefined) return [];
  const waitlist = course.seats.waitlist;
  return [
    {
      id: hsdsId('capacity', id, 'seats'),
      service_id: serviceId,
      unit: { id: hsdsId('unit', 'seat'), name: ctx.t('opendata:hsds.seatUnit'), scheme: 'sprachkursfinder', identifier: 'seat' },
      available: course.seats.available,
      ...optional('maximum', course.seats.capacity),
      description: waitlist ? ctx.t('opendata:hsds.seatsWithWaitlist', { count: waitlist }) : ctx.t('opendata:hsds.seats'),
      updated: (course.seats.updatedAt ?? course.updatedAt).toISOString(),
    },
  ];
}

function languagesOf(provider: MappableProvider, serviceId: string, id: string, ctx: MapperContext): HsdsLanguage[] {
  const taught: HsdsLanguage = { id: hsdsId('language', id, 'de'), service_id: serviceId, name: ctx.fmt.languageName('de'), code: 'de', note: ctx.t('opendata:hsds.languageTaught') };
  const staff = (provider.staffLanguages ?? [])
    .filter((code) => code !== 'de')
    .map((code) => ({ id: hsdsId('language', id, code), service_id: serviceId, name: ctx.fmt.languageName(code), code, note: ctx.t('opendata:hsds.languageStaff') }));
  return [taught, ...staff];
}

function applicationOf(course: MappableCourse, ctx: MapperContext): string | undefined {
  const registration = course.registration;
  if (!registration) return undefined;
  const parts = [
    pickLocalized(registration.note, DATA_LANGUAGE),
    registration.deadline ? ctx.t('opendata:hsds.deadline', { date: ctx.fmt.date(registration.deadline) }) : '',
    course.rollingEntry ? ctx.t('opendata:hsds.rollingEntry') : '',
  ].filter((part) => part.length > 0);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function contactsOf(course: MappableCourse, serviceId: string, id: string): HsdsContact[] {
  const registration = course.registration;
  if (!registration?.contact && !registration?.email) return [];
  const contactId = hsdsId('service_contact', id);
  return [
    {
      id: contactId,
      service_id: serviceId,
      ...optional('name', registration.contact),
      ...optional('email', registration.email),
      phones: registration.phone ? [{ id: hsdsId('service_phone', id, 'contact'), contact_id: contactId, number: registration.phone }] : [],
    },
  ];
}

/** A service as listed: its own fields and its organization's, no nested lists. */
export function toHsdsServiceListItem(course: MappableCourse, provider: MappableProvider, ctx: MapperContext): HsdsServiceListItem {
  const id = course._id.toString();
  const alternate = course.title.en;
  return {
    id: hsdsId('service', id),
    organization_id: hsdsId('organization', provider._id.toString()),
    name: pickLocalized(course.title, DATA_LANGUAGE),
    ...optional('alternate_name', alternate),
    ...optional('description', pickLocalized(course.description, DATA_LANGUAGE)),
    url: coursePageUrl(ctx.origin, id, DATA_LANGUAGE),
    ...optional('email', course.registration?.email),
    status: 'active',
    ...optional('application_process', applicationOf(course, ctx)),
    fees_description: feesOf(course, ctx),
    ...optional('eligibility_description', eligibilityOf(course, ctx)),
    // When the provider last confirmed the listing: what HSDS calls the date the information was last checked.
    assured_date: course.lastConfirmedAt.toISOString().slice(0, 10),
    last_modified: course.updatedAt.toISOString(),
    organization: toHsdsOrganizationListItem(provider, ctx),
  };
}

/** A fully nested service (`GET /services/:id`, and each of an organization's services). */
export function toHsdsService(course: MappableCourse, provider: MappableProvider, ctx: MapperContext): HsdsService {
  const id = course._id.toString();
  const providerId = provider._id.toString();
  const listItem = toHsdsServiceListItem(course, provider, ctx);
  const serviceId = listItem.id;
  const location = course.mode !== 'online' && course.venue ? toHsdsLocation(providerId, course.venue, ctx) : undefined;
  const phones: HsdsPhone[] = course.registration?.phone ? [{ id: hsdsId('service_phone', id), service_id: serviceId, number: course.registration.phone }] : [];
  const urls: HsdsUrl[] = course.registration?.url ? [{ id: hsdsId('service_url', id, 'registration'), service_id: serviceId, url: course.registration.url, label: ctx.t('opendata:hsds.registrationUrl') }] : [];
  return {
    ...listItem,
    organization: toHsdsOrganization(provider, ctx),
    phones,
    contacts: contactsOf(course, serviceId, id),
    additional_urls: urls,
    schedules: toHsdsSchedules(id, course, {
      zoneNote: (zone, offset) => ctx.t('opendata:hsds.zoneNote', { zone, offset }),
      flexible: ctx.t('opendata:hsds.flexible'),
      attendingType: ctx.fmt.mode(course.mode),
    }),
    service_at_locations: location
      ? [{ id: hsdsId('service_at_location', id, location.id), service_id: serviceId, location_id: location.id, location }]
      : [],
    languages: languagesOf(provider, serviceId, id, ctx),
    cost_options: costOptionsOf(course, serviceId, id, ctx),
    capacities: capacitiesOf(course, serviceId, id, ctx),
    attributes: attributesOf(course, serviceId, ctx),
  };
}

