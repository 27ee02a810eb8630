import type { Connection, Types } from 'mongoose';
import { providerModel, type ProviderRecord } from '../providers/provider.model';
import type { CourseRecord } from './course.model';

/**
 * The one rule of what the public sees (search, course and provider pages, open data): a published course of a
 * provider that is not deactivated. Deactivating a provider deletes nothing; it only takes the provider and its
 * courses out of public view until an admin reactivates it.
 */
export function isProviderPublic(provider: Pick<ProviderRecord, 'deactivatedAt'> | null | undefined): boolean {
  return provider !== null && provider !== undefined && !provider.deactivatedAt;
}

export function isPubliclyVisible(course: Pick<CourseRecord, 'status'>, provider: Pick<ProviderRecord, 'deactivatedAt'> | null | undefined): boolean {
  return course.status === 'published' && isProviderPublic(provider);
}

/** Providers the public sees, as a MongoDB filter. */
export const PUBLIC_PROVIDERS_FILTER = { deactivatedAt: { $exists: false } } as const;

/** The same rule as a MongoDB filter over courses (deactivated providers are few: their ids fit in one `$nin`). */
export async function publicCoursesFilter(db: Connection): Promise<{ status: 'published'; providerId: { $nin: Types.ObjectId[] } }> {
  const inactive = await providerModel(db).find({ deactivatedAt: { $exists: true } }, { _id: 1 }).lean();
  return { status: 'published', providerId: { $nin: inactive.map((provider) => provider._id) } };
}
