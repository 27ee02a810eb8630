import { Types, type Connection } from 'mongoose';
import type { Clock } from '../lib/clock';
import { notFound } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { courseModel } from '../courses/course.model';
import { isProviderPublic } from '../courses/public-visibility';
import { toSearchDocument, type CourseSearchDocument } from '../search/search-document';
import { toCourseCard, toCourseHit, type CourseCard, type CourseHit } from '../search/search.service';
import { providerModel } from './provider.model';
import { toProviderResponse, type ProviderResponse } from './providers.service';

export type PublicProvider = ProviderResponse & { courses: CourseHit[] };
/** The provider page's data: the same courses as the API's, as result cards. */
export type ProviderWithCards = ProviderResponse & { cards: CourseCard[] };

/** What everyone may read about a provider: its profile and its published courses (from MongoDB, the source of truth). */
export function createPublicCatalog(deps: { db: Connection; clock: Clock }) {
  const providers = providerModel(deps.db);
  const courses = courseModel(deps.db);

  /** The provider and its published courses as search documents, so the API and the page show them alike. */
  async function load(id: string): Promise<{ provider: ProviderResponse; documents: CourseSearchDocument[]; now: Date }> {
    if (!isObjectId(id)) throw notFound('Provider');
    const _id = new Types.ObjectId(id);
    const [record, published] = await Promise.all([
      providers.findById(_id).lean(),
      courses.find({ providerId: _id, status: 'published' }).sort({ startDate: 1 }).lean(),
    ]);
    if (!record || !isProviderPublic(record)) throw notFound('Provider');
    const now = deps.clock.now();
    return { provider: toProviderResponse(record), documents: published.map((course) => toSearchDocument(course, record.name, now)), now };
  }

  async function provider(id: string, lang: string): Promise<PublicProvider> {
    const { provider: profile, documents, now } = await load(id);
    return { ...profile, courses: documents.map((doc) => toCourseHit(doc, lang, undefined, now)) };
  }

  async function providerWithCards(id: string, lang: string): Promise<ProviderWithCards> {
    const { provider: profile, documents, now } = await load(id);
    return { ...profile, cards: documents.map((doc) => toCourseCard(doc, lang, undefined, now)) };
  }

  return { provider, providerWithCards };
}
