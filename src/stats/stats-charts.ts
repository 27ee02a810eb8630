import { stringify } from 'csv-stringify/sync';
import { COURSE_TYPES, LEVELS } from '../courses/course.enums';
import type { Formatters } from '../web/format';
import type { PageLocals } from '../web/page-context';
import { CHILD_AGE_BUCKETS } from './search-event';
import type { Demand, Freshness, Gap, GoalMonth, Supply } from './stats.service';

/**
 * One chart of the dashboard, as data: a title, a one-sentence summary, the table (first column the category, then
 * one column per series) and the bars drawn from it. The same rows give the SVG, the table view and the CSV.
 */
export type Chart = {
  id: string;
  section: 'supply' | 'demand' | 'gaps' | 'goal' | 'freshness';
  title: string;
  summary: string;
  columns: string[];
  rows: Array<{ label: string; values: number[] }>;
  /** how many of the leading series are drawn as bars (the rest, e.g. percentages, are in the table only) */
  drawn?: number;
};

export const CHART_IDS = [
  'supply-types',
  'supply-levels',
  'supply-areas',
  'supply-features',
  'supply-child-ages',
  'supply-seats',
  'demand-months',
  'demand-filters',
  'demand-languages',
  'gaps',
  'goal',
  'freshness',
] as const;
export type ChartId = (typeof CHART_IDS)[number];

export type StatsData = { supply: Supply; demand: Demand; gaps: Gap[]; goal: GoalMonth[]; freshness: Freshness };

type Words = { t: PageLocals['t']; fmt: Formatters };

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}

/** "childcare for 0–11 months, mornings, area 768, A1" */
export function describeGap(gap: Gap, { t, fmt }: Words): string {
  const parts: string[] = [];
  if (gap.childcare) parts.push(gap.childAges.length > 0 ? t('stats:gap.childcareFor', { ages: fmt.list(gap.childAges.map((b) => t(`stats:ageBucket.${b}`))) }) : t('stats:gap.childcare'));
  if (gap.womenOnly) parts.push(t('stats:gap.womenOnly'));
  if (gap.times.length > 0) parts.push(fmt.list(gap.times.map((time) => t(`common:enum.timeOfDay.${time}`))));
  if (gap.area) parts.push(t('stats:gap.area', { area: gap.area }));
  if (gap.levels.length > 0) parts.push(gap.levels.map((level) => t(`common:enum.level.${level}`)).join('/'));
  if (gap.types.length > 0) parts.push(fmt.list(gap.types.map((type) => t(`common:enum.type.${type}`))));
  return parts.length > 0 ? parts.join(', ') : t('stats:gap.anything');
}

/** Every chart of the dashboard from the statistics, in the reader's language. */
export function buildCharts(data: StatsData, words: Words): Chart[] {
  const { t, fmt } = words;
  const { supply, demand, gaps, goal, freshness } = data;
  const n = (value: number) => fmt.number(value);
  const total = supply.total;
  const f = supply.features;
  const topArea = supply.byArea[0];
  const monthsTotal = demand.byMonth.reduce((sum, m) => sum + m.empty, 0);
  const lastGoal = goal[goal.length - 1];
  const freshCourses = freshness.reduce((sum, row) => sum + row.fresh, 0);
  const listed = freshness.reduce((sum, row) => sum + row.courses, 0);
  const topLanguage = demand.languages[0];
  const topGap = gaps[0];
  const series = (key: string) => t(`stats:series.${key}`);
  return [
    {
      id: 'supply-types',
      section: 'supply',
      title: t('stats:chart.supplyTypes'),
      summary: t('stats:summary.supplyTypes', { count: total }),
      columns: [t('stats:column.type'), series('courses')],
      rows: COURSE_TYPES.map((type) => ({ label: t(`common:enum.type.${type}`), values: [supply.byType[type]] })),
    },
    {
      id: 'supply-levels',
      section: 'supply',
      title: t('stats:chart.supplyLevels'),
      summary: t('stats:summary.supplyLevels', { count: total }),
      columns: [t('stats:column.level'), series('courses')],
      rows: LEVELS.map((level) => ({ label: t(`common:enum.level.${level}`), values: [supply.byLevel[level]] })),
    },
    {
      id: 'supply-areas',
      section: 'supply',
      title: t('stats:chart.supplyAreas'),
      summary: topArea ? t('stats:summary.supplyAreas', { area: topArea.area, count: topArea.courses }) : t('stats:summary.none'),
      columns: [t('stats:column.area'), series('courses')],
      rows: supply.byArea.map((row) => ({ label: row.area === 'online' ? t('stats:online') : row.area, values: [row.courses] })),
    },
    {
      id: 'supply-features',
      section: 'supply',
      title: t('stats:chart.supplyFeatures'),
      summary: t('stats:summary.supplyFeatures', { childcare: percent(f.childcare, total), womenOnly: percent(f.womenOnly, total), familyTimes: percent(f.familyTimes, total) }),
      columns: [t('stats:column.feature'), series('courses'), series('percent')],
      rows: (['childcare', 'womenOnly', 'familyTimes', 'evening', 'weekend', 'free'] as const).map((key) => ({ label: t(`stats:feature.${key}`), values: [f[key], percent(f[key], total)] })),
      drawn: 1,
    },
    {
      id: 'supply-child-ages',
      section: 'supply',
      title: t('stats:chart.supplyChildAges'),
      summary: t('stats:summary.supplyChildAges', { under1: n(supply.childAges['0-11']), childcare: n(f.childcare) }),
      columns: [t('stats:column.childAge'), series('courses')],
      rows: CHILD_AGE_BUCKETS.map((bucket) => ({ label: t(`stats:ageBucket.${bucket}`), values: [supply.childAges[bucket]] })),
    },
    {
      id: 'supply-seats',
      section: 'supply',
      title: t('stats:chart.supplySeats'),
      summary: t('stats:summary.supplySeats', { available: n(supply.seats.available), waitlist: n(supply.seats.waitlist) }),
      columns: [t('stats:column.measure'), series('number')],
      rows: (['capacity', 'available', 'waitlist', 'full', 'withWaitlist'] as const).map((key) => ({ label: t(`stats:seats.${key}`), values: [supply.seats[key]] })),
    },
    {
      id: 'demand-months',
      section: 'demand',
      title: t('stats:chart.demandMonths'),
      summary: t('stats:summary.demandMonths', { count: demand.total, childcare: percent(demand.childcare, demand.total), womenOnly: percent(demand.womenOnly, demand.total), empty: percent(monthsTotal, demand.total) }),
      columns: [t('stats:column.month'), series('searches'), series('childcare'), series('womenOnly'), series('empty')],
      rows: demand.byMonth.map((m) => ({ label: m.month, values: [m.searches, m.childcare, m.womenOnly, m.empty] })),
    },
    {
      id: 'demand-filters',
      section: 'demand',
      title: t('stats:chart.demandFilters'),
      summary: t('stats:summary.demandFilters', { count: demand.total }),
      columns: [t('stats:column.filter'), series('searches')],
      rows: demand.byFilter.map((row) => ({ label: filterLabel(row.filter, words), values: [row.searches] })),
    },
    {
      id: 'demand-languages',
      section: 'demand',
      title: t('stats:chart.demandLanguages'),
      summary: topLanguage ? t('stats:summary.demandLanguages', { language: fmt.languageName(topLanguage.lang), share: percent(topLanguage.searches, demand.total) }) : t('stats:summary.none'),
      columns: [t('stats:column.language'), series('searches')],
      rows: demand.languages.map((row) => ({ label: fmt.languageName(row.lang), values: [row.searches] })),
    },
    {
      id: 'gaps',
      section: 'gaps',
      title: t('stats:chart.gaps'),
      summary: topGap ? t('stats:summary.gaps', { what: describeGap(topGap, words), searches: n(topGap.searches) }) : t('stats:summary.noGaps'),
      columns: [t('stats:column.asked'), series('emptySearches')],
      rows: gaps.map((gap) => ({ label: describeGap(gap, words), values: [gap.searches] })),
    },
    {
      id: 'goal',
      section: 'goal',
      title: t('stats:chart.goal'),
      summary: lastGoal
        ? t('stats:summary.goal', { supply: n(lastGoal.supply), target: fmt.number(lastGoal.target), baseline: n(lastGoal.baseline), demand: n(lastGoal.demand) })
        : t('stats:summary.none'),
      columns: [t('stats:column.month'), series('demandWomen'), series('supplyWomen'), series('baseline'), series('target')],
      rows: goal.map((m) => ({ label: m.month, values: [m.demand, m.supply, m.baseline, m.target] })),
    },
    {
      id: 'freshness',
      section: 'freshness',
      title: t('stats:chart.freshness'),
      summary: t('stats:summary.freshness', { share: percent(freshCourses, listed), days: 90 }),
      columns: [t('stats:column.provider'), series('courses'), series('fresh'), series('percent')],
      rows: freshness.map((row) => ({ label: row.provider, values: [row.courses, row.fresh, percent(row.fresh, row.courses)] })),
      drawn: 2,
    },
  ];
}

function filterLabel(filter: string, { t }: Words): string {
  const [kind, value] = filter.split(':');
  if (kind === 'level') return `${t('stats:column.level')}: ${t(`common:enum.level.${value}`)}`;
  if (kind === 'type') return t(`common:enum.type.${value}`);
  if (kind === 'time') return t(`common:enum.timeOfDay.${value}`);
  return t(`stats:filter.${filter}`);
}

export type BarRow = { label: string; values: number[]; bars: Array<{ x: number; y: number; width: number; series: number }> };

/** Bar geometry in a 0–100 wide box per row (one thin bar per series), mirrored for right-to-left pages. */
export function barRows(chart: Chart, dir: 'ltr' | 'rtl'): { rows: BarRow[]; barHeight: number; rowHeight: number } {
  const seriesCount = Math.max(1, chart.drawn ?? chart.columns.length - 1);
  const max = Math.max(1, ...chart.rows.flatMap((row) => row.values.slice(0, seriesCount)));
  const barHeight = 8;
  const rowHeight = seriesCount * barHeight;
  return {
    barHeight,
    rowHeight,
    rows: chart.rows.map((row) => ({
      label: row.label,
      values: row.values,
      bars: row.values.slice(0, seriesCount).map((value, series) => {
        const width = Math.round((value / max) * 1000) / 10;
        return { x: dir === 'rtl' ? 100 - width : 0, y: series * barHeight, width, series };
      }),
    })),
  };
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (as the course export does, api.md). */
export function formulaSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The chart's table as CSV: a header row, then one row per category (UTF-8, comma, RFC 4180 quoting). */
export function chartCsv(chart: Chart): string {
  return stringify([chart.columns.map(formulaSafe), ...chart.rows.map((row) => [formulaSafe(row.label), ...row.values.map(String)])]);
}
