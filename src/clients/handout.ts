import type { AppServices } from '../app-services';
import { coursePage, qrCodeSvg, type CoursePage } from '../courses/course-page';
import { AppError } from '../lib/errors';
import type { ShortlistItem } from './client.schema';

/** One course on a handout: what the course page shows, its QR code to that page, and the counselor's note for the client. */
export type HandoutCourse = { page: CoursePage; qrCode: string; note: string };

/**
 * The courses of a shortlist as the handout shows them, in the handout's language, in the shortlist's order. It is
 * built from the shortlist alone (never from the profile), so a handout cannot show the profile's label or note. A
 * course that is no longer public (archived, back to draft) is left out.
 */
export async function handoutCourses(services: AppServices, shortlist: readonly ShortlistItem[], { origin, lang }: { origin: string; lang: string }): Promise<HandoutCourse[]> {
  const courses = await Promise.all(
    shortlist.map(async (item) => {
      try {
        const page = await coursePage(services, item.courseId, { origin, lang });
        return { page, qrCode: await qrCodeSvg(page.urls.canonical), note: item.note };
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return undefined;
        throw error;
      }
    }),
  );
  return courses.filter((course): course is HandoutCourse => course !== undefined);
}
