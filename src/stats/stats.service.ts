import type { Connection, PipelineStage, Types } from 'mongoose';
import type { Config } from '../config';
import { COURSE_TYPES, LEVELS, TIMES_OF_DAY, type CourseType, type Level } from '../courses/course.enums';
import { courseFacts, staleBefore } from '../courses/course-facts';
import { courseModel, type CourseRecord } from '../courses/course.model';
import { providerModel } from '../providers/provider.model';
import type { Clock } from '../lib/clock';
import { CHILD_AGE_BUCKETS, type ChildAgeBucket } from './search-event';
import { SEARCH_EVENTS } from './stats-recorder';
import { SEARCH_MONTHLY } from './stats-retention';

/** The ages (months, inclusive) each child-age bucket stands for. */
const BUCKET_BOUNDS: Record<ChildAgeBucket, [number, number]> = { '0-11': [0, 11], '12-23': [12, 23], '24-35': [24, 35], '36-71': [36, 71], '72+': [72, 216] };
const WEEKEND = new Set(['sat', 'sun']);
/** Course types written for women or for parents: women-relevant whatever their schedule. */
const WOMEN_TYPES = new Set<CourseType>(['integration_women', 'integration_parents']);

type SupplyCourse = Pick<CourseRecord, 'type' | 'level' | 'venue' | 'schedule' | 'womenOnly' | 'childcare' | 'cost' | 'seats' | 'startDate' | 'endDate' | 'lastConfirmedAt'>;

export type Supply = {
  total: number;
  byType: Record<CourseType, number>;
  byLevel: Record<Level, number>;
  /** by the first three postcode digits of the venue; online-only courses under `online` */
  byArea: Array<{ area: string; courses: number }>;
  features: { childcare: number; womenOnly: number; evening: number; weekend: number; familyTimes: number; free: number };
  /** courses whose childcare takes a child of each age bucket */
  childAges: Record<ChildAgeBucket, number>;
  seats: { capacity: number; available: number; waitlist: number; full: number; withWaitlist: number };
};

export type MonthDemand = { month: string; searches: number; childcare: number; womenOnly: number; familyTimes: number; womenRelevant: number; empty: number };
export type Demand = {
  total: number;
  byMonth: MonthDemand[];
  /** how many searches used each filter (a search may use several) */
  byFilter: Array<{ filter: string; searches: number }>;
  languages: Array<{ lang: string; searches: number }>;
  childcare: number;
  womenOnly: number;
};

export type Gap = { levels: string[]; childcare: boolean; childAges: string[]; times: string[]; womenOnly: boolean; area: string | null; types: string[]; searches: number };
export type GoalMonth = { month: string; demand: number; supply: number; baseline: number; target: number };
export type Freshness = Array<{ providerId: string; provider: string; courses: number; fresh: number }>;

/** A course's schedule fits family life: only mornings on weekdays (while children are in day care or school). */
function familyTimes(course: Pick<SupplyCourse, 'schedule' | 'lastConfirmedAt'>): boolean {
  const facts = courseFacts(course, course.lastConfirmedAt, course.lastConfirmedAt);
  return !facts.flexible && facts.timeOfDay.length > 0 && facts.timeOfDay.every((t) => t === 'morning') && !facts.days.some((d) => WEEKEND.has(d));
}

export function womenRelevant(course: SupplyCourse): boolean {
  return course.womenOnly || course.childcare.available || WOMEN_TYPES.has(course.type) || familyTimes(course);
}

/** Counts over published courses (pure; tests feed it constructed courses). */
export function summariseSupply(courses: SupplyCourse[]): Supply {
  const byType = Object.fromEntries(COURSE_TYPES.map((type) => [type, 0])) as Record<CourseType, number>;
  const byLevel = Object.fromEntries(LEVELS.map((level) => [level, 0])) as Record<Level, number>;
  const areas = new Map<string, number>();
  const features = { childcare: 0, womenOnly: 0, evening: 0, weekend: 0, familyTimes: 0, free: 0 };
  const childAges = Object.fromEntries(CHILD_AGE_BUCKETS.map((bucket) => [bucket, 0])) as Record<ChildAgeBucket, number>;
  const seats = { capacity: 0, available: 0, waitlist: 0, full: 0, withWaitlist: 0 };
  for (const course of courses) {
    byType[course.type]++;
    byLevel[course.level]++;
    const area = course.venue ? course.venue.postcode.slice(0, 3) : 'online';
    areas.set(area, (areas.get(area) ?? 0) + 1);
    const facts = courseFacts(course, course.lastConfirmedAt, course.lastConfirmedAt);
    if (course.childcare.available) {
      features.childcare++;
      const min = course.childcare.minAgeMonths ?? 0;
      const max = course.childcare.maxAgeMonths ?? 216;
      for (const bucket of CHILD_AGE_BUCKETS) {
        const [low, high] = BUCKET_BOUNDS[bucket];
        if (min <= high && max >= low) childAges[bucket]++;
      }
    }
    if (course.womenOnly) features.womenOnly++;
    if (facts.timeOfDay.includes('evening')) features.evening++;
    if (facts.days.some((d) => WEEKEND.has(d))) features.weekend++;
    if (familyTimes(course)) features.familyTimes++;
    if (course.cost.free) features.free++;
    seats.capacity += course.seats.capacity ?? 0;
    seats.available += course.seats.available ?? 0;
    seats.waitlist += course.seats.waitlist ?? 0;
    if (course.seats.available === 0) seats.full++;
    if ((course.seats.waitlist ?? 0) > 0) seats.withWaitlist++;
  }
  const byArea = [...areas].map(([area, n]) => ({ area, courses: n })).sort((a, b) => b.courses - a.courses || a.area.localeCompare(b.area));
  return { total: courses.length, byType, byLevel, byArea, features, childAges, seats };
}

/**
 * The events of both stores as one stream of `{ month, weight, … }`: raw events (weight 1) and the monthly sums the
 * retention job left of older ones (weight = their number of searches), so every chart spans both.
 */
function allSearches(from: string | undefined): PipelineStage[] {
  const shape = { lang: 1, levels: 1, types: 1, modes: 1, times: 1, slots: 1, childcare: 1, childAges: 1, womenOnly: 1, free: 1, seats: 1, radius: 1, area: 1, text: 1 };
  return [
    { $project: { ...shape, month: { $dateToString: { date: '$hour', format: '%Y-%m' } }, weight: { $literal: 1 }, emptyWeight: { $cond: ['$empty', 1, 0] } } },
    { $unionWith: { coll: SEARCH_MONTHLY, pipeline: [{ $project: { ...shape, month: 1, weight: '$searches', emptyWeight: '$empty' } }] } },
    ...(from ? [{ $match: { month: { $gte: from } } }] : []),
  ];
}

/** A search asks for family-friendly times: it names parts of day, and only mornings. */
const ASKS_FAMILY_TIMES = { $and: [{ $gt: [{ $size: '$times' }, 0] }, { $eq: ['$times', ['morning']] }] };
const ASKS_WOMEN_RELEVANT = { $or: ['$childcare', '$womenOnly', ASKS_FAMILY_TIMES] };
const weighted = (condition: unknown) => ({ $sum: { $cond: [condition, '$weight', 0] } });

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 600; guard++) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (label > to) break;
    out.push(label);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

/** Supply, demand, gaps, the goal tracker and freshness for the dashboard, computed in MongoDB. */
export function createStatsService(deps: { db: Connection; clock: Clock; config: Config }) {
  const courses = courseModel(deps.db);
  const providers = providerModel(deps.db);
  const events = () => deps.db.collection(SEARCH_EVENTS);

  async function publishedCourses(): Promise<SupplyCourse[]> {
    return courses
      .find({ status: 'published' }, { type: 1, level: 1, venue: 1, schedule: 1, womenOnly: 1, childcare: 1, cost: 1, seats: 1, startDate: 1, endDate: 1, lastConfirmedAt: 1 })
      .lean<SupplyCourse[]>();
  }

  async function supply(): Promise<Supply> {
    return summariseSupply(await publishedCourses());
  }

  async function demand(from?: string): Promise<Demand> {
    const [result] = await events()
      .aggregate<{
        months: MonthDemand[];
        levels: Array<{ _id: string; n: number }>;
        types: Array<{ _id: string; n: number }>;
        times: Array<{ _id: string; n: number }>;
        flags: Array<{ childcare: number; womenOnly: number; free: number; seats: number; text: number; located: number; childAges: number }>;
        languages: Array<{ _id: string; n: number }>;
      }>([
        ...allSearches(from),
        {
          $facet: {
            months: [
              {
                $group: {
                  _id: '$month',
                  searches: { $sum: '$weight' },
                  childcare: weighted('$childcare'),
                  womenOnly: weighted('$womenOnly'),
                  familyTimes: weighted(ASKS_FAMILY_TIMES),
                  womenRelevant: weighted(ASKS_WOMEN_RELEVANT),
                  empty: { $sum: '$emptyWeight' },
                },
              },
              { $project: { _id: 0, month: '$_id', searches: 1, childcare: 1, womenOnly: 1, familyTimes: 1, womenRelevant: 1, empty: 1 } },
              { $sort: { month: 1 } },
            ],
            levels: [{ $unwind: '$levels' }, { $group: { _id: '$levels', n: { $sum: '$weight' } } }],
            types: [{ $unwind: '$types' }, { $group: { _id: '$types', n: { $sum: '$weight' } } }],
            times: [{ $unwind: '$times' }, { $group: { _id: '$times', n: { $sum: '$weight' } } }],
            flags: [
              {
                $group: {
                  _id: null,
                  childcare: weighted('$childcare'),
                  womenOnly: weighted('$womenOnly'),
                  free: weighted('$free'),
                  seats: weighted('$seats'),
                  text: weighted('$text'),
                  located: weighted({ $ne: ['$radius', 'none'] }),
                  childAges: weighted({ $gt: [{ $size: '$childAges' }, 0] }),
                },
              },
            ],
            languages: [{ $group: { _id: '$lang', n: { $sum: '$weight' } } }, { $sort: { n: -1, _id: 1 } }],
          },
        },
      ])
      .toArray();
    const months = result?.months ?? [];
    const flags = result?.flags[0] ?? { childcare: 0, womenOnly: 0, free: 0, seats: 0, text: 0, located: 0, childAges: 0 };
    const count = (rows: Array<{ _id: string; n: number }> | undefined, key: string) => rows?.find((row) => row._id === key)?.n ?? 0;
    const byFilter = [
      ...LEVELS.map((level) => ({ filter: `level:${level}`, searches: count(result?.levels, level) })),
      ...COURSE_TYPES.map((type) => ({ filter: `type:${type}`, searches: count(result?.types, type) })),
      ...TIMES_OF_DAY.map((time) => ({ filter: `time:${time}`, searches: count(result?.times, time) })),
      ...(['childcare', 'childAges', 'womenOnly', 'free', 'seats', 'located', 'text'] as const).map((flag) => ({ filter: flag, searches: flags[flag] })),
    ];
    return {
      total: months.reduce((sum, month) => sum + month.searches, 0),
      byMonth: months,
      byFilter,
      languages: (result?.languages ?? []).map((row) => ({ lang: row._id, searches: row.n })),
      childcare: flags.childcare,
      womenOnly: flags.womenOnly,
    };
  }

  /** Searches that found nothing, grouped by what was asked, the most frequent first. */
  async function gaps(limit = 10, from?: string): Promise<Gap[]> {
    const rows = await events()
      .aggregate<{ _id: Omit<Gap, 'searches'>; searches: number }>([
        ...allSearches(from),
        { $match: { emptyWeight: { $gt: 0 } } },
        {
          $group: {
            _id: { levels: '$levels', childcare: '$childcare', childAges: '$childAges', times: '$times', womenOnly: '$womenOnly', area: '$area', types: '$types' },
            searches: { $sum: '$emptyWeight' },
          },
        },
        { $sort: { searches: -1, '_id.area': 1 } },
        { $limit: limit },
      ])
      .toArray();
    return rows.map((row) => ({ ...row._id, area: row._id.area ?? null, searches: row.searches }));
  }

  /**
   * Month by month: searches for women-relevant courses (childcare, women-only, mornings only) and the women-relevant
   * courses running that month, against the baseline (STATS_GOAL_BASELINE, else the first month's supply) and the
   * target baseline × (1 + STATS_GOAL_INCREASE_PERCENT/100).
   */
  async function goal(months = 12): Promise<GoalMonth[]> {
    const now = deps.clock.now();
    const to = now.toISOString().slice(0, 7);
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString().slice(0, 7);
    const labels = monthsBetween(start, to);
    const [searched, relevant] = await Promise.all([demand(start), publishedCourses().then((all) => all.filter(womenRelevant))]);
    const supplyIn = (month: string) => relevant.filter((c) => c.startDate.slice(0, 7) <= month && c.endDate.slice(0, 7) >= month).length;
    const rows = labels.map((month) => ({ month, demand: searched.byMonth.find((m) => m.month === month)?.womenRelevant ?? 0, supply: supplyIn(month) }));
    const baseline = deps.config.stats.goalBaseline ?? rows[0]?.supply ?? 0;
    const target = Math.round(baseline * (1 + deps.config.stats.goalIncreasePercent / 100) * 10) / 10;
    return rows.map((row) => ({ ...row, baseline, target }));
  }

  /** Per provider: published listings and how many were confirmed in the last 90 days. */
  async function freshness(): Promise<Freshness> {
    const fresh = staleBefore(deps.clock.now());
    const rows = await courses.aggregate<{ _id: Types.ObjectId; courses: number; fresh: number }>([
      { $match: { status: 'published' } },
      { $group: { _id: '$providerId', courses: { $sum: 1 }, fresh: { $sum: { $cond: [{ $gte: ['$lastConfirmedAt', fresh] }, 1, 0] } } } },
    ]);
    const names = new Map((await providers.find({ _id: { $in: rows.map((row) => row._id) } }, { name: 1 }).lean()).map((p) => [String(p._id), p.name]));
    return rows
      .map((row) => ({ providerId: String(row._id), provider: names.get(String(row._id)) ?? String(row._id), courses: row.courses, fresh: row.fresh }))
      .sort((a, b) => a.fresh / a.courses - b.fresh / b.courses || a.provider.localeCompare(b.provider));
  }

  return { supply, demand, gaps, goal, freshness };
}

export type StatsService = ReturnType<typeof createStatsService>;
