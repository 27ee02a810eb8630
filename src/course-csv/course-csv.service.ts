import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Connection } from 'mongoose';
import type { Actor } from '../accounts/actor';
import { courseModel, type CourseRecord } from '../courses/course.model';
import { toCourseResponse } from '../courses/course.presenter';
import { publicCoursesFilter } from '../courses/public-visibility';
import { courseContentSchema, type CourseContent } from '../courses/course.schema';
import type { CoursesService } from '../courses/courses.service';
import type { Clock } from '../lib/clock';
import { forbidden, notFound } from '../lib/errors';
import { isObjectId } from '../lib/object-id';
import { providerModel } from '../providers/provider.model';
import type { Venue } from '../providers/venue.schema';
import { columnOfPath, columnsFor, formatRow, PROVIDER_COLUMN, VENUE_COLUMN, type CsvColumn } from './course-csv.columns';
import { readCourseCsv, rowToBody, type CellError, type CsvRow } from './course-csv.reader';
import { neutraliseFormula } from './csv-cells';
import { pendingImportModel } from './pending-import.model';

/** One row of an import's report (api.md → CSV); `id` once the row was saved. */
export type RowReport = { row: number; ok: true; id?: string } | { row: number; ok: false; errors: CellError[] };

/** A row as the preview page shows it: its report and its cells as they were read. */
export type PreviewRow = RowReport & { cells: Record<string, string> };

export type ImportPreview = { columns: string[]; rows: PreviewRow[]; valid: number; invalid: number };
export type ImportResult = { rows: RowReport[]; created: number };

/** Export files are `;`-separated UTF-8 with BOM: what German spreadsheet programs open correctly by double-click. */
const EXPORT_DELIMITER = ';';
const BOM = '\uFEFF';
/** Rows are sent in chunks of about this size: few writes, yet never more than this per chunk in memory. */
const CHUNK_CHARS = 64 * 1024;
const CURSOR_BATCH = 500;

export type CourseCsvDeps = { db: Connection; clock: Clock; courses: CoursesService };

type ValidRow = { row: number; providerId: string; content: CourseContent };

function csvLine(cells: string[]): string {
  return stringify([cells.map(neutraliseFormula)], { delimiter: EXPORT_DELIMITER, record_delimiter: '\r\n' });
}

/** Strings in chunks of about CHUNK_CHARS; pulled by the reader, so a slow client pauses the cursor (backpressure). */
function chunked(parts: AsyncIterable<string>): Readable {
  return Readable.from(
    (async function* () {
      let buffer = '';
      for await (const part of parts) {
        buffer += part;
        if (buffer.length >= CHUNK_CHARS) {
          yield buffer;
          buffer = '';
        }
      }
      if (buffer !== '') yield buffer;
    })(),
    { objectMode: false },
  );
}

export function createCourseCsvService(deps: CourseCsvDeps) {
  const courses = courseModel(deps.db);
  const providers = providerModel(deps.db);
  const pendingImports = pendingImportModel(deps.db);

  /** The venues of each provider that rows name, loaded once per import. */
  async function loadVenues(providerIds: string[]): Promise<Map<string, Venue[]>> {
    const ids = [...new Set(providerIds.filter(isObjectId))];
    const found = await providers.find({ _id: { $in: ids } }, { venues: 1 }).lean();
    return new Map(found.map((p) => [p._id.toString(), p.venues ?? []]));
  }

  /** A provider's rows go into its own organisation, and so do an admin's when the admin chose one (`into`). */
  function rowProvider(actor: Actor, row: CsvRow, into: string | undefined): { providerId?: string; error?: CellError } {
    const given = (row.cells.get(PROVIDER_COLUMN) ?? '').trim();
    const fixed = actor.role === 'provider' ? actor.providerId : into;
    if (fixed) {
      if (given !== '' && given !== fixed) return { error: { column: PROVIDER_COLUMN, message: 'you can only import into your own organisation' } };
      return { providerId: fixed };
    }
    if (given === '') return { error: { column: PROVIDER_COLUMN, message: 'is required for administrators' } };
    return { providerId: given };
  }

  /** Judges every row as `POST /api/v1/courses` would; nothing is written. */
  async function judge(actor: Actor, csvText: string, into?: string): Promise<{ columns: readonly CsvColumn[]; rows: CsvRow[]; reports: RowReport[]; valid: ValidRow[] }> {
    if (actor.role === 'provider' && !actor.providerId) throw forbidden('Your account is not linked to a provider.');
    if (actor.role !== 'provider' && actor.role !== 'admin') throw forbidden('Only providers and administrators import courses.');
    const { columns, rows } = readCourseCsv(csvText);
    const owners = rows.map((row) => rowProvider(actor, row, actor.role === 'admin' ? into : undefined));
    const venues = await loadVenues(owners.flatMap((o) => (o.providerId ? [o.providerId] : [])));
    const reports: RowReport[] = [];
    const valid: ValidRow[] = [];
    rows.forEach((row, i) => {
      const { body, errors } = rowToBody(row, columns);
      const { providerId, error } = owners[i] ?? {};
      if (error) errors.push(error);
      const providerVenues = providerId ? venues.get(providerId) : undefined;
      if (providerId && !providerVenues) errors.push({ column: PROVIDER_COLUMN, message: 'is not a known provider' });
      delete body.providerId;
      // A cell that could not be read is reported once, not again as "missing" by the schema; nor is a venue
      // whose provider is unknown (its name cannot be judged).
      const unreadable = new Set(errors.map((e) => e.column));
      if (typeof body.venue === 'string') {
        const wanted = body.venue.replace(/\s+/g, ' ').toLowerCase();
        const venue = providerVenues?.find((v) => v.name.replace(/\s+/g, ' ').toLowerCase() === wanted);
        if (venue) body.venue = venue;
        else {
          if (providerVenues) errors.push({ column: VENUE_COLUMN, message: `is not a venue of this provider (known: ${providerVenues.map((v) => v.name).join(', ') || 'none'})` });
          unreadable.add(VENUE_COLUMN);
          delete body.venue;
        }
      }
      const parsed = courseContentSchema.safeParse(body);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = columnOfPath(issue.path);
          if (!unreadable.has(column)) errors.push({ column, message: issue.message });
        }
      }
      if (errors.length > 0 || !parsed.success || !providerId) reports.push({ row: row.row, ok: false, errors });
      else {
        reports.push({ row: row.row, ok: true });
        valid.push({ row: row.row, providerId, content: parsed.data });
      }
    });
    return { columns, rows, reports, valid };
  }

  /** The import page's preview: every row with its cells and its verdict. */
  async function preview(actor: Actor, csvText: string, into?: string): Promise<ImportPreview> {
    const { columns, rows, reports } = await judge(actor, csvText, into);
    const previewRows = rows.map((row, i) => ({ ...(reports[i] as RowReport), cells: Object.fromEntries(row.cells) }));
    const valid = reports.filter((r) => r.ok).length;
    return { columns: columns.map((c) => c.name), rows: previewRows, valid, invalid: reports.length - valid };
  }

  /** Saves every valid row together (one transaction, all or none); invalid rows are reported and not saved. */
  async function importRows(actor: Actor, csvText: string, into?: string): Promise<ImportResult> {
    const { reports, valid } = await judge(actor, csvText, into);
    const ids = await deps.courses.createMany(actor, valid);
    const idByRow = new Map(valid.map((v, i) => [v.row, ids[i]]));
    return { rows: reports.map((r) => (r.ok ? { ...r, id: idByRow.get(r.row) } : r)), created: ids.length };
  }

  /**
   * The import page's first step: the preview, and the text kept on the server under an id that only this user can
   * confirm (admins: `into` is the provider they chose).
   */
  async function stashPreview(actor: Actor, csvText: string, into?: string): Promise<{ pendingId: string; preview: ImportPreview }> {
    const result = await preview(actor, csvText, into);
    const [pending] = await pendingImports.create([{ userId: actor.userId, ...(into && actor.role === 'admin' ? { providerId: into } : {}), text: csvText, createdAt: deps.clock.now() }]);
    return { pendingId: String(pending?._id), preview: result };
  }

  /** The second step: saves the stashed file's valid rows (one transaction) and forgets the file. Unknown, expired or another user's id → 404. */
  async function confirmPending(actor: Actor, pendingId: string): Promise<ImportResult> {
    const pending = isObjectId(pendingId) ? await pendingImports.findOne({ _id: pendingId, userId: actor.userId }).lean() : null;
    if (!pending) throw notFound('Import');
    const result = await importRows(actor, pending.text, pending.providerId?.toString());
    await pendingImports.deleteOne({ _id: pending._id });
    return result;
  }

  /** The providers an admin may choose on the import page, by name. */
  async function providerChoices(): Promise<Array<{ id: string; name: string }>> {
    const all = await providers.find({}, { name: 1 }).sort({ name: 1 }).lean();
    return all.map((p) => ({ id: p._id.toString(), name: p.name }));
  }

  /** Header and one example row: the format to fill in. */
  function template(actor: Actor | undefined): string {
    const columns = columnsFor(actor?.role === 'admin');
    return BOM + csvLine(columns.map((c) => c.name)) + csvLine(columns.map((c) => c.example));
  }

  /** Admins: everything; a provider: its own in every status; everyone else: what the public sees (public-visibility.ts). */
  async function exportFilter(actor: Actor | undefined): Promise<Record<string, unknown>> {
    if (actor?.role === 'admin') return {};
    if (actor?.role === 'provider' && actor.providerId) return { providerId: actor.providerId };
    return publicCoursesFilter(deps.db);
  }

  /** Course records one batch at a time from a cursor, never the whole collection in memory. */
  function cursorOf(filter: Record<string, unknown>): AsyncIterable<CourseRecord> {
    return courses.find(filter).sort({ _id: 1 }).lean<CourseRecord>().cursor({ batchSize: CURSOR_BATCH });
  }

  /** `GET /api/v1/courses/export.csv`: anonymous → published; provider → its own in every status; admin → all, with providerId. */
  function exportCsv(actor: Actor | undefined): Readable {
    const columns = columnsFor(actor?.role === 'admin');
    return chunked(
      (async function* () {
        const records = cursorOf(await exportFilter(actor));
        yield BOM + csvLine(columns.map((c) => c.name));
        for await (const course of records) yield csvLine(formatRow(course as unknown as Record<string, unknown>, columns));
      })(),
    );
  }

  /** `GET /api/v1/export/courses.json`: every published course in the shape of `GET /api/v1/courses/:id`, as one JSON array. */
  function exportJson(): Readable {
    const names = new Map<string, string>();
    const now = deps.clock.now();
    return chunked(
      (async function* () {
        const records = cursorOf(await publicCoursesFilter(deps.db));
        yield '[';
        let first = true;
        for await (const course of records) {
          const providerId = course.providerId.toString();
          if (!names.has(providerId)) names.set(providerId, (await providers.findById(providerId, { name: 1 }).lean())?.name ?? '');
          yield (first ? '\n' : ',\n') + JSON.stringify(toCourseResponse(course, now, names.get(providerId)));
          first = false;
        }
        yield '\n]\n';
      })(),
    );
  }

  return { preview, importRows, stashPreview, confirmPending, providerChoices, template, exportCsv, exportJson };
}

export type CourseCsvService = ReturnType<typeof createCourseCsvService>;
