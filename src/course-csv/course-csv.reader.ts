import { parse } from 'csv-parse/sync';
import { badRequest } from '../lib/errors';
import { assignAt, COURSE_CSV_COLUMNS, type CsvColumn } from './course-csv.columns';
import { restoreFormula } from './csv-cells';

export type CellError = { column: string; message: string };

/** One data row: its number as a spreadsheet shows it (the header is row 1), its cells by column name. */
export type CsvRow = { row: number; cells: Map<string, string>; extraCells: boolean };

/** `;` or `,`: whichever the header line uses more (a header never needs quoting, so counting is safe). */
export function detectDelimiter(text: string): ';' | ',' {
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (char: string) => headerLine.split(char).length - 1;
  return count(';') >= count(',') && count(';') > 0 ? ';' : ',';
}

/**
 * Reads a course CSV: UTF-8 with or without BOM, `;` or `,`, quoted cells with line breaks. Unknown or repeated
 * header names make the whole file unusable (400); everything else is judged row by row later. Rows whose cells
 * are all empty are skipped but still counted, so row numbers match the spreadsheet.
 */
export function readCourseCsv(text: string): { columns: CsvColumn[]; rows: CsvRow[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')), relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badRequest('invalid_csv', `The file is not readable as CSV: ${message}`, [{ param: '(body)', message }]);
  }
  const [header = [], ...data] = records;
  const byName = new Map(COURSE_CSV_COLUMNS.map((c) => [c.name.toLowerCase(), c]));
  const columns: CsvColumn[] = [];
  const problems: Array<{ param: string; message: string }> = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    const found = byName.get(name.toLowerCase());
    if (!found) problems.push({ param: name || `column ${i + 1}`, message: 'is not a known column (see GET /api/v1/courses/import/template.csv)' });
    else if (columns.includes(found)) problems.push({ param: name, message: 'appears twice' });
    else columns.push(found);
  });
  if (header.every((h) => h.trim() === '')) problems.push({ param: '(header)', message: 'the first row must name the columns' });
  if (problems.length > 0) throw badRequest('invalid_csv', `Invalid CSV header: ${problems.map((p) => p.param).join(', ')}.`, problems);
  const rows: CsvRow[] = [];
  data.forEach((record, index) => {
    if (record.every((cell) => cell.trim() === '')) return;
    const cells = new Map<string, string>();
    columns.forEach((c, i) => cells.set(c.name, restoreFormula(record[i] ?? '')));
    // Cells beyond the header have no column to go to: the row says so instead of dropping them silently.
    rows.push({ row: index + 2, cells, extraCells: record.slice(columns.length).some((cell) => cell.trim() !== '') });
  });
  return { columns, rows };
}

/** A row's cells as a course body (nested as `POST /api/v1/courses` takes it), and the cells that could not be read. */
export function rowToBody(row: CsvRow, columns: readonly CsvColumn[]): { body: Record<string, unknown>; errors: CellError[] } {
  const body: Record<string, unknown> = {};
  const errors: CellError[] = [];
  if (row.extraCells) errors.push({ column: '(row)', message: 'has more cells than the header has columns' });
  for (const c of columns) {
    const cell = (row.cells.get(c.name) ?? '').trim();
    if (cell === '') continue;
    const result = c.codec.parse(cell);
    if (result.ok) assignAt(body, c.path, result.value);
    else errors.push({ column: c.name, message: result.message });
  }
  return { body, errors };
}
