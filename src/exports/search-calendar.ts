import { Types, type Connection } from 'mongoose';
import { courseModel } from '../courses/course.model';
import type { SearchService } from '../search/search.service';
import type { SearchQuery } from '../search/search-query.schema';
import { coursePageUrl } from '../web/page-language';
import { addCourseEvents, createCalendar } from './course-ical';

/** api.md: a feed holds at most this many courses, so one subscribed URL cannot ask for the whole catalogue. */
export const FEED_MAX_COURSES = 500;

/**
 * "Subscribe to this search": one calendar of every course the search finds for the same filters, in the
 * search's order, each course as in its own calendar file. The ids come from the index (the filters live
 * there), the courses from MongoDB, the source of truth; a course unpublished since it was last indexed is left out.
 */
export function createSearchCalendar(deps: { db: Connection; search: SearchService }) {
  const courses = courseModel(deps.db);

  async function feed(query: SearchQuery, origin: string, maxCourses = FEED_MAX_COURSES): Promise<string> {
    const ids = await deps.search.matchingIds(query, maxCourses);
    const records = ids.length
      ? await courses
          .find(
            { _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, status: 'published' },
            { title: 1, description: 1, venue: 1, schedule: 1, startDate: 1, endDate: 1, updatedAt: 1 },
          )
          .lean()
      : [];
    const byId = new Map(records.map((record) => [record._id.toString(), record]));
    const calendar = createCalendar(query.q ? `Sprachkursfinder: ${query.q}` : 'Sprachkursfinder', query.lang);
    for (const id of ids) {
      const record = byId.get(id);
      if (record) addCourseEvents(calendar, { ...record, id }, query.lang, coursePageUrl(origin, id, query.lang));
    }
    return calendar.toString();
  }

  return { feed };
}

export type SearchCalendar = ReturnType<typeof createSearchCalendar>;
