import { Types, type Connection } from 'mongoose';
import { courseModel, indexMark } from '../courses/course.model';
import { courseContentSchema, type CourseContentInput } from '../courses/course.schema';
import { auditModel } from '../audit/audit.model';
import { providerModel } from '../providers/provider.model';
import { createProviderBodySchema, type ProviderContentInput } from '../providers/provider.schema';
import { parseInput } from '../lib/validation';

export type ImportProvider = { content: ProviderContentInput; verified: boolean };
export type ImportCourse = { providerIndex: number; content: CourseContentInput; confirmedDaysAgo: number };

const DAY_MS = 86_400_000;
const CHUNK = 5_000;

/**
 * The bulk path for seeds and synthetic data: the same schemas validate every record and every course
 * is marked for indexing exactly as a single write would be; audit entries name the system as author.
 */
export async function importCatalog(db: Connection, now: Date, providers: ImportProvider[], courses: ImportCourse[]) {
  const providerIds = providers.map(() => new Types.ObjectId());
  const audit = auditModel(db);
  const providerDocs = providers.map((p, i) => ({
    _id: providerIds[i],
    ...parseInput(createProviderBodySchema, { ...p.content, verified: p.verified }, 'body'),
    version: 1,
    createdAt: now,
    updatedAt: now,
  }));
  await providerModel(db).insertMany(providerDocs, { lean: true });
  await audit.insertMany(
    providerDocs.map((p) => ({ entity: 'provider', entityId: p._id, providerId: p._id, action: 'create', fields: ['*'], actor: { role: 'system' }, at: now })),
    { lean: true },
  );
  const model = courseModel(db);
  for (let start = 0; start < courses.length; start += CHUNK) {
    const docs = courses.slice(start, start + CHUNK).map((course) => {
      const content = parseInput(courseContentSchema, course.content, 'body');
      const confirmed = new Date(now.getTime() - course.confirmedDaysAgo * DAY_MS);
      return {
        _id: new Types.ObjectId(),
        providerId: providerIds[course.providerIndex],
        ...content,
        seats: { ...content.seats, updatedAt: confirmed },
        version: 1,
        lastConfirmedAt: confirmed,
        search: indexMark(1),
        createdAt: confirmed,
        updatedAt: now,
      };
    });
    await model.insertMany(docs, { lean: true, ordered: false });
    await audit.insertMany(
      docs.map((c) => ({ entity: 'course', entityId: c._id, providerId: c.providerId, action: 'create', fields: ['*'], actor: { role: 'system' }, at: now })),
      { lean: true },
    );
  }
  return { providerIds: providerIds.map(String), courses: courses.length };
}
