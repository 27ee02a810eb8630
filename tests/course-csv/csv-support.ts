/** Test helpers for CSV files written the way spreadsheets and people write them. */

/** One CSV line: cells with the separator, a quote or a line break are quoted (RFC 4180). */
export function csvLine(cells: readonly string[], separator: ';' | ',' = ';'): string {
  return cells.map((cell) => (/[;,"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(separator);
}

/** A whole file from a header and rows given as objects (missing cells empty). */
export function csvFile(header: readonly string[], rows: ReadonlyArray<Record<string, string>>, options: { separator?: ';' | ','; bom?: boolean; eol?: string } = {}): string {
  const { separator = ';', bom = false, eol = '\r\n' } = options;
  const lines = [csvLine(header, separator), ...rows.map((row) => csvLine(header.map((h) => row[h] ?? ''), separator))];
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

export const BASIC_HEADER = [
  'title_de',
  'title_en',
  'description_de',
  'type',
  'level',
  'targetLevel',
  'mode',
  'venue',
  'sessions',
  'startDate',
  'endDate',
  'childcare',
  'childcare_minAgeMonths',
  'childcare_maxAgeMonths',
  'cost_free',
  'status',
] as const;

/** A row that is valid for a provider whose venues include "Haus am Maulbeerbaum" (the builders' venue). */
export function aRow(overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    title_de: 'Integrationskurs A1 am Vormittag',
    title_en: 'Integration course A1 (mornings)',
    description_de: 'Deutsch für den Alltag.',
    type: 'integration_general',
    level: 'A1',
    targetLevel: 'B1',
    mode: 'in_person',
    venue: 'Haus am Maulbeerbaum',
    sessions: 'Di 09:00-12:00 | Do 09:00-12:00',
    startDate: '11.01.2027',
    endDate: '30.07.2027',
    childcare: 'nein',
    cost_free: 'ja',
    status: 'published',
    ...(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Record<string, string>),
  };
}
