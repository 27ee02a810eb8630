import { z } from 'zod';
import type { AppServices } from '../app-services';
import { defineRoute } from '../lib/api-route';

/** api.md → CSV: bodies over 2 MB → 413. */
export const CSV_IMPORT_LIMIT_BYTES = 2 * 1024 * 1024;

const cellErrorSchema = z.object({ column: z.string(), message: z.string() });
const importReportSchema = z.object({
  rows: z.array(
    z.union([
      z.object({ row: z.number().int(), ok: z.literal(true), id: z.string().optional() }),
      z.object({ row: z.number().int(), ok: z.literal(false), errors: z.array(cellErrorSchema) }),
    ]),
  ),
  created: z.number().int(),
});

const importQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description: 'true: only check every row and report; nothing is saved' }),
});

const CSV_TYPE = 'text/csv; charset=utf-8';

function attachment(filename: string): Record<string, string> {
  return { 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' };
}

export function courseCsvRoutes({ courseCsv }: AppServices) {
  return [
    defineRoute({
      method: 'get',
      path: '/courses/import/template.csv',
      summary: 'The course CSV format: the header and one example row (admins: with the providerId column)',
      tag: 'csv',
      access: 'public',
      responses: { 200: { description: 'CSV template', schema: z.string(), contentType: 'text/csv' } },
      handle: async ({ actor }) => ({ body: courseCsv.template(actor), contentType: CSV_TYPE, headers: attachment('kurse-vorlage.csv') }),
    }),
    defineRoute({
      method: 'post',
      path: '/courses/import',
      summary: 'Import courses from CSV (providers: into their own organisation; admins: providerId column). All valid rows are saved in one transaction',
      tag: 'csv',
      access: ['admin', 'provider'],
      query: importQuerySchema,
      body: z.string().meta({ description: 'UTF-8 CSV (with or without BOM), `;` or `,` separated; the columns of GET /courses/import/template.csv' }),
      textBody: { contentType: 'text/csv', limit: CSV_IMPORT_LIMIT_BYTES },
      responses: { 200: { description: 'Every row as valid (and saved unless dryRun) or with its errors per column', schema: importReportSchema } },
      handle: async ({ actor, query, body }) => {
        if (query.dryRun) {
          const preview = await courseCsv.preview(actor, body);
          return { json: { rows: preview.rows.map(({ cells: _cells, ...report }) => report), created: 0 } };
        }
        return { json: await courseCsv.importRows(actor, body) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/courses/export.csv',
      summary: 'Courses as CSV in the import format, streamed: anonymous → published; provider → its own in every status; admin → all',
      tag: 'csv',
      access: 'public',
      responses: { 200: { description: 'CSV (`;`, UTF-8 with BOM)', schema: z.string(), contentType: 'text/csv' } },
      handle: async ({ actor }) => ({ stream: courseCsv.exportCsv(actor), contentType: CSV_TYPE, headers: attachment('kurse.csv') }),
    }),
    defineRoute({
      method: 'get',
      path: '/export/courses.json',
      summary: 'Open data: every published course in the shape of GET /courses/{id}, as one JSON array, streamed',
      tag: 'csv',
      access: 'public',
      responses: { 200: { description: 'JSON array of courses', schema: z.array(z.record(z.string(), z.unknown())) } },
      handle: async () => ({ stream: courseCsv.exportJson(), contentType: 'application/json; charset=utf-8' }),
    }),
  ];
}
