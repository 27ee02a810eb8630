import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { COURSE_STATUSES, COURSE_TYPES, LEVELS, MODES } from './course.enums';
import type { CourseContent } from './course.schema';

/** A course as stored: the validated content plus what the server manages. */
export type CourseRecord = CourseContent & {
  _id: Types.ObjectId;
  providerId: Types.ObjectId;
  version: number;
  lastConfirmedAt: Date;
  seats: CourseContent['seats'] & { updatedAt?: Date };
  /**
   * set together with every write that the search index must follow (architecture.md, write flow);
   * `markId` is a fresh token whenever a course is marked again without a new version (rebuild catch-up,
   * stale sweep, provider rename), so a push that started before cannot clear that mark (search-sync.ts);
   * `markedAt` is when it was marked, for /health's `searchStuck`.
   */
  search?: { pendingVersion?: number; markId?: string; markedAt?: Date; indexedStale?: boolean };
  createdAt: Date;
  updatedAt: Date;
};

/**
 * The index mark that a write of `version` sets in the same update (architecture.md, write flow). `markedAt` is real
 * time, not the app's clock: /health measures marks that stay too long against it.
 */
export function indexMark(version: number): { pendingVersion: number; markedAt: Date } {
  return { pendingVersion: version, markedAt: new Date() };
}

const courseSchema = new Schema(
  {
    providerId: { type: Schema.Types.ObjectId, required: true, ref: 'Provider' },
    title: { type: Schema.Types.Mixed, required: true },
    description: Schema.Types.Mixed,
    type: { type: String, enum: COURSE_TYPES, required: true },
    level: { type: String, enum: LEVELS, required: true },
    targetLevel: { type: String, enum: LEVELS, required: true },
    exam: String,
    mode: { type: String, enum: MODES, required: true },
    venue: Schema.Types.Mixed,
    schedule: { type: Schema.Types.Mixed, required: true },
    startDate: { type: String, required: true },
    endDate: { type: String, required: true },
    rollingEntry: { type: Boolean, default: false },
    lessonsTotal: Number,
    lessonsPerWeek: Number,
    womenOnly: { type: Boolean, default: false },
    childcare: Schema.Types.Mixed,
    cost: Schema.Types.Mixed,
    seats: Schema.Types.Mixed,
    registration: Schema.Types.Mixed,
    status: { type: String, enum: COURSE_STATUSES, required: true },
    version: { type: Number, required: true, min: 1 },
    lastConfirmedAt: { type: Date, required: true },
    search: { pendingVersion: Number, markId: String, markedAt: Date, indexedStale: Boolean },
  },
  { timestamps: true, minimize: true, strict: 'throw', versionKey: false },
);

courseSchema.index({ providerId: 1, status: 1, startDate: 1 });
// The sync worker's queue: only marked courses are in this index (environment.md: $exists without one took 100 ms).
courseSchema.index({ 'search.pendingVersion': 1 }, { partialFilterExpression: { 'search.pendingVersion': { $exists: true } } });
// /health: marks older than a minute, counted from the index alone.
courseSchema.index({ 'search.markedAt': 1 }, { partialFilterExpression: { 'search.pendingVersion': { $exists: true } } });
// Reindex catch-up (courses written during a rebuild) and the staleness sweep.
courseSchema.index({ updatedAt: 1 });
courseSchema.index({ status: 1, lastConfirmedAt: 1 });

export type CourseModel = Model<CourseRecord>;

export function courseModel(db: Connection): CourseModel {
  return (db.models.Course as CourseModel | undefined) ?? db.model<CourseRecord>('Course', courseSchema);
}
