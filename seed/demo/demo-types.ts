import type { CourseContentInput } from '../../src/courses/course.schema';
import type { ProviderContentInput } from '../../src/providers/provider.schema';

/**
 * Demo data is written relative to the day it is loaded, so it never ages:
 * a course starts `startInDays` after the load (negative: it already runs) and lasts `durationDays`;
 * the listing was last confirmed `confirmedDaysAgo` days before the load (over 90: stale).
 */
export type DemoCourse = Omit<CourseContentInput, 'startDate' | 'endDate'> & {
  startInDays: number;
  durationDays: number;
  confirmedDaysAgo: number;
};

export type DemoProvider = {
  /** stable key, used in the demo provider account's email: `<key>@demo.sprachkursfinder.example` */
  key: string;
  verified: boolean;
  content: ProviderContentInput;
  courses: DemoCourse[];
};
