import { courseFacts, type CourseFacts } from './course-facts';
import type { CourseRecord } from './course.model';
import type { CourseContent } from './course.schema';

export type CourseResponse = CourseContent &
  CourseFacts & {
    id: string;
    providerId: string;
    provider?: { id: string; name: string };
    version: number;
    lastConfirmedAt: string;
    seats: CourseContent['seats'] & { updatedAt?: string };
    createdAt: string;
    updatedAt: string;
  };

/** The stored content only, as a provider writes it: the base that a merge patch applies to. */
export function contentOf(course: CourseRecord): Record<string, unknown> {
  const { _id, providerId, version, lastConfirmedAt, search, createdAt, updatedAt, seats, ...rest } = course;
  const { updatedAt: _seatsUpdatedAt, ...seatContent } = seats ?? {};
  return { ...rest, seats: seatContent };
}

export function toCourseResponse(course: CourseRecord, now: Date, providerName?: string): CourseResponse {
  const { _id, providerId, search, lastConfirmedAt, createdAt, updatedAt, seats, ...content } = course;
  const { updatedAt: seatsUpdatedAt, ...seatCounts } = seats ?? {};
  return {
    id: _id.toString(),
    providerId: providerId.toString(),
    ...(providerName !== undefined ? { provider: { id: providerId.toString(), name: providerName } } : {}),
    ...content,
    seats: { ...seatCounts, ...(seatsUpdatedAt ? { updatedAt: seatsUpdatedAt.toISOString() } : {}) },
    ...courseFacts(course, lastConfirmedAt, now),
    lastConfirmedAt: lastConfirmedAt.toISOString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}
