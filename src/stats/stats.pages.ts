import { Router, type Request, type Response } from 'express';
import type { AppServices } from '../app-services';
import { notFound } from '../lib/errors';
import { requirePageRole } from '../web/page-auth';
import type { PageLocals } from '../web/page-context';
import { CHART_IDS, barRows, buildCharts, chartCsv, type Chart, type ChartId } from './stats-charts';

/** What the city may show everyone on `/statistics` (STATS_PUBLIC): no per-provider freshness, no gap list. */
const PUBLIC_CHARTS = new Set<ChartId>(['supply-types', 'supply-levels', 'supply-features', 'supply-child-ages', 'demand-months', 'demand-languages', 'goal']);
const SECTIONS = ['supply', 'demand', 'gaps', 'goal', 'freshness'] as const;

/**
 * `/admin/stats` (admins) and, when STATS_PUBLIC=true, `/statistics` (everyone): every chart as bars drawn in SVG on
 * the server, with its table, a one-sentence summary and a CSV download (`/admin/stats/<chart>.csv`). No script.
 */
export function statsPages(services: AppServices): Router {
  const router = Router();
  const { statistics } = services;

  async function charts(res: Response, only?: Set<ChartId>): Promise<Chart[]> {
    const [supply, demand, gaps, goal, freshness] = await Promise.all([statistics.supply(), statistics.demand(), statistics.gaps(), statistics.goal(), statistics.freshness()]);
    const { t, fmt } = res.locals as PageLocals;
    return buildCharts({ supply, demand, gaps, goal, freshness }, { t, fmt }).filter((chart) => !only || only.has(chart.id as ChartId));
  }

  function render(base: string, only?: Set<ChartId>) {
    return async (_req: Request, res: Response) => {
      const { dir } = res.locals as PageLocals;
      const all = await charts(res, only);
      const sections = SECTIONS.map((id) => ({ id, charts: all.filter((chart) => chart.section === id).map((chart) => ({ ...chart, csv: `${base}/${chart.id}.csv`, bars: barRows(chart, dir) })) })).filter(
        (section) => section.charts.length > 0,
      );
      res.render('stats/dashboard', { view: { sections, publicPage: only !== undefined } });
    };
  }

  function csv(only?: Set<ChartId>) {
    return async (req: Request, res: Response) => {
      const id = String(req.params.chart);
      if (!(CHART_IDS as readonly string[]).includes(id) || (only && !only.has(id as ChartId))) throw notFound('Chart');
      const chart = (await charts(res, only)).find((c) => c.id === id);
      if (!chart) throw notFound('Chart');
      res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${id}.csv"`);
      res.send(chartCsv(chart));
    };
  }

  const publicOnly = (_req: Request, _res: Response, next: (error?: unknown) => void) => next(services.deps.config.stats.publicPage ? undefined : notFound('Page'));

  router.get('/admin/stats', requirePageRole('admin'), render('/admin/stats'));
  router.get('/admin/stats/:chart.csv', requirePageRole('admin'), csv());
  router.get('/statistics', publicOnly, render('/statistics', PUBLIC_CHARTS));
  router.get('/statistics/:chart.csv', publicOnly, csv(PUBLIC_CHARTS));
  return router;
}
