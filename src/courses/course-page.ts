import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import type { AppServices } from '../app-services';
import { courseJsonLd, jsonForScript } from '../exports/course-json-ld';
import { pickLocalizedWithLanguage } from '../lib/localized-text';
import { coursePageUrl, pathInLanguage } from '../web/page-language';
import type { ProviderRecord } from '../providers/provider.model';
import { DAYS } from './course.enums';
import type { CourseResponse } from './course.presenter';
import { beaconPath, registerLinkPath } from '../stats/course-actions';
import type { CourseContent } from './course.schema';

/** How many coming meetings the page lists. */
export const NEXT_OCCURRENCES = 5;

export type Occurrence = { start: Date; end: Date };

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * The next meetings from `now`: the weekly sessions on the days between start and end date, in the course's own
 * time zone (so a 09:00 session stays 09:00 across daylight saving). A meeting under way still counts.
 */
export function nextOccurrences(course: Pick<CourseContent, 'schedule' | 'startDate' | 'endDate'>, now: Date, count = NEXT_OCCURRENCES): Occurrence[] {
  if (course.schedule.flexible) return [];
  const zone = course.schedule.timezone;
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const first = DateTime.fromISO(course.startDate, { zone });
  const last = DateTime.fromISO(course.endDate, { zone });
  const sessions = [...course.schedule.sessions].sort((a, b) => a.start.localeCompare(b.start));
  const found: Occurrence[] = [];
  for (let day = first > today ? first : today; day <= last && found.length < count; day = day.plus({ days: 1 })) {
    for (const session of sessions.filter((s) => s.day === DAYS[day.weekday - 1])) {
      const end = atTime(day, session.end);
      if (end.toMillis() > now.getTime()) found.push({ start: atTime(day, session.start).toJSDate(), end: end.toJSDate() });
    }
  }
  return found.slice(0, count);
}

export type PageUrls = { origin: string; lang: string };

/** The QR code of an address as SVG markup; only path elements, checked, since the page includes it unescaped. */
export async function qrCodeSvg(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  if (!/^<svg [^>]*>(<path [^>]*\/>)+<\/svg>\s*$/.test(svg) || /script|\son\w+=|style=/i.test(svg)) throw new Error('unexpected QR code markup');
  return svg;
}

/**
 * Everything the course page and its print view show: the course as the API answers it (same service, so the page
 * never disagrees with `GET /api/v1/courses/:id`), its provider, the texts in the reader's language with the
 * language they are really in, the next meetings, the addresses and the JSON-LD.
 */
export async function coursePage(services: AppServices, id: string, { origin, lang }: PageUrls) {
  const course: CourseResponse = await services.courses.getVisible(undefined, id);
  const provider: ProviderRecord = await services.providers.getRecord(course.providerId);
  const now = services.deps.clock.now();
  const pagePath = `/courses/${course.id}`;
  const providerPath = `/providers/${course.providerId}`;
  const shareUrl = `${origin}${pagePath}`;
  const venue = course.mode !== 'online' ? course.venue : undefined;
  return {
    course,
    provider,
    title: pickLocalizedWithLanguage(course.title, lang),
    description: course.description ? pickLocalizedWithLanguage(course.description, lang) : undefined,
    registrationNote: course.registration?.note ? pickLocalizedWithLanguage(course.registration.note, lang) : undefined,
    occurrences: nextOccurrences(course, now),
    venue,
    urls: {
      page: pathInLanguage(pagePath, lang),
      canonical: coursePageUrl(origin, course.id, lang),
      share: shareUrl,
      print: pathInLanguage(`${pagePath}/print`, lang),
      calendar: pathInLanguage(`/api/v1/courses/${course.id}.ics`, lang),
      provider: pathInLanguage(providerPath, lang),
      register: registerLinkPath(course.id),
      beacons: { share: beaconPath(course.id, 'share'), register: beaconPath(course.id, 'register') },
    },
    jsonLd: jsonForScript(courseJsonLd(course, provider, { page: shareUrl, provider: `${origin}${providerPath}` })),
  };
}

export type CoursePage = Awaited<ReturnType<typeof coursePage>>;
