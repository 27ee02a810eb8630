import type { Day, Level, Mode } from '../courses/course.enums';
import type { CourseResponse } from '../courses/course.presenter';
import { pickLocalized } from '../lib/localized-text';
import type { ProviderContent } from '../providers/provider.schema';

const SCHEMA_DAYS: Record<Day, string> = {
  mon: 'https://schema.org/Monday',
  tue: 'https://schema.org/Tuesday',
  wed: 'https://schema.org/Wednesday',
  thu: 'https://schema.org/Thursday',
  fri: 'https://schema.org/Friday',
  sat: 'https://schema.org/Saturday',
  sun: 'https://schema.org/Sunday',
};

/** schema.org's courseMode values for the three ways a course meets. */
export const COURSE_MODES: Record<Mode, 'onsite' | 'online' | 'blended'> = { in_person: 'onsite', online: 'online', hybrid: 'blended' };

/** CEFR levels are international codes; only the literacy level needs words (the data is German, as the course is). */
function levelName(level: Level): string {
  return level === 'alpha' ? 'Alphabetisierung' : level;
}

type JsonObject = { [key: string]: unknown };

/** One weekly Schedule per distinct meeting time (Tue+Thu 09:00–12:00 is one; a different Friday time another). */
function schedules(course: CourseResponse): JsonObject[] {
  const byHours = new Map<string, Day[]>();
  for (const session of course.schedule.sessions) {
    const hours = `${session.start}|${session.end}`;
    byHours.set(hours, [...(byHours.get(hours) ?? []), session.day]);
  }
  return [...byHours].map(([hours, days]) => {
    const [startTime, endTime] = hours.split('|');
    return {
      '@type': 'Schedule',
      byDay: [...new Set(days)].map((day) => SCHEMA_DAYS[day]),
      startTime,
      endTime,
      repeatFrequency: 'P1W',
      startDate: course.startDate,
      endDate: course.endDate,
      scheduleTimezone: course.schedule.timezone,
    };
  });
}

function offer(course: CourseResponse, pageUrl: string): JsonObject | undefined {
  if (course.cost.free) return { '@type': 'Offer', price: 0, priceCurrency: 'EUR', category: 'Free', url: pageUrl };
  const price = course.cost.pricePerLessonEur;
  if (price === undefined) return undefined;
  return {
    '@type': 'Offer',
    price,
    priceCurrency: 'EUR',
    category: 'Paid',
    url: pageUrl,
    priceSpecification: { '@type': 'UnitPriceSpecification', price, priceCurrency: 'EUR', unitText: 'Unterrichtseinheit' },
  };
}

/**
 * schema.org `Course` with one `CourseInstance` (api.md → Website): how it meets (`courseMode`), where (a Place with
 * its address and coordinates, unless online) and, unless flexible, when (`courseSchedule`, weekly, in the course's
 * zone). Texts are the provider's German ones: the listing's source language, and the language the course teaches.
 */
export function courseJsonLd(
  course: CourseResponse,
  provider: Pick<ProviderContent, 'name' | 'contact'>,
  urls: { page: string; provider: string },
): JsonObject {
  const venue = course.mode !== 'online' ? course.venue : undefined;
  const instance: JsonObject = {
    '@type': 'CourseInstance',
    courseMode: COURSE_MODES[course.mode],
    startDate: course.startDate,
    endDate: course.endDate,
    inLanguage: 'de',
    ...(venue
      ? {
          location: {
            '@type': 'Place',
            name: venue.name,
            address: { '@type': 'PostalAddress', streetAddress: venue.street, postalCode: venue.postcode, addressLocality: venue.city, addressCountry: 'DE' },
            geo: { '@type': 'GeoCoordinates', latitude: venue.lat, longitude: venue.lng },
          },
        }
      : {}),
    ...(course.schedule.flexible ? {} : { courseSchedule: schedules(course) }),
  };
  const price = offer(course, urls.page);
  const title = pickLocalized(course.title, 'de');
  return {
    '@context': 'https://schema.org',
    '@type': 'Course',
    '@id': urls.page,
    url: urls.page,
    name: title,
    description: pickLocalized(course.description, 'de') || title,
    inLanguage: 'de',
    educationalLevel: course.level === course.targetLevel ? levelName(course.level) : `${levelName(course.level)} – ${levelName(course.targetLevel)}`,
    provider: {
      '@type': 'Organization',
      name: provider.name,
      url: urls.provider,
      ...(provider.contact.email ? { email: provider.contact.email } : {}),
      ...(provider.contact.phone ? { telephone: provider.contact.phone } : {}),
      ...(provider.contact.website ? { sameAs: provider.contact.website } : {}),
    },
    hasCourseInstance: [instance],
    ...(price ? { offers: [price] } : {}),
  };
}

/**
 * JSON for a `<script type="application/ld+json">` block: `<` written as \u003c, so no text a provider wrote can
 * close the script element or open a comment (the value stays the same JSON).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
