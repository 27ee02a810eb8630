import { Types, type Connection } from 'mongoose';
import type { Clock } from '../lib/clock';
import { notFound } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { courseModel } from '../courses/course.model';
import { toSearchDocument } from '../search/search-document';
import { toCourseHit, type CourseHit } from '../search/search.service';
import { providerModel } from './provider.model';
import { toProviderResponse, type ProviderResponse } from './providers.service';

export type PublicProvider = ProviderResponse & { courses: CourseHit[] };

/** What everyone may read about a provider: its profile and its published courses (from MongoDB, the source of truth). */
export function createPublicCatalog(deps: { db: Connection; clock: Clock }) {
  const providers = providerModel(deps.db);
  const courses = courseModel(deps.db);

  async function provider(id: string, lang: string): Promise<PublicProvider> {
    if (!isObjectId(id)) throw notFound('Provider');
    const _id = new Types.ObjectId(id);
    const [record, published] = await Promise.all([
      providers.findById(_id).lean(),
      courses.find({ providerId: _id, status: 'published' }).sort({ startDate: 1 }).lean(),
    ]);
    if (!record) throw notFound('Provider');
    const now = deps.clock.now();
    return {
      ...toProviderResponse(record),
      courses: published.map((course) => toCourseHit(toSearchDocument(course, record.name, now), lang, undefined, now)),
    };
  }

  return { provider };
}
