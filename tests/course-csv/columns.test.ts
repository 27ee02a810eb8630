import type { z } from 'zod';
import { COURSE_CSV_COLUMNS, columnOfPath } from '../../src/course-csv/course-csv.columns';
import { booleanCell, dateCell, decimalCell, neutraliseFormula, restoreFormula, sessionsCell } from '../../src/course-csv/csv-cells';
import { courseContentSchema } from '../../src/courses/course.schema';

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every field path of the course schema down to its leaves (the venue counts as one: it is named, not spelled out). */
function leafPaths(schema: z.ZodType, path: string[] = []): string[][] {
  const def = defOf(schema);
  if (['optional', 'default', 'nullable', 'prefault'].includes(def.type) && def.innerType) return leafPaths(def.innerType, path);
  if (def.type === 'pipe' && def.in) return leafPaths(def.in, path);
  if (def.type === 'object' && def.shape && path[0] !== 'venue') {
    return Object.entries(def.shape).flatMap(([key, child]) => leafPaths(child, [...path, key]));
  }
  return [path];
}

describe('the course CSV columns', () => {
  it('reach every field of the course schema', () => {
    const unreached = leafPaths(courseContentSchema).filter(
      (leaf) => !COURSE_CSV_COLUMNS.some((c) => leaf.every((part, i) => c.path[i] === part) || c.path.every((part, i) => leaf[i] === part)),
    );
    expect(leafPaths(courseContentSchema).length).toBeGreaterThan(30);
    expect(unreached).toEqual([]);
  });

  it('name each column once', () => {
    const names = COURSE_CSV_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('point a validation error at the column a person would fix', () => {
    expect(columnOfPath(['childcare', 'maxAgeMonths'])).toBe('childcare_maxAgeMonths');
    expect(columnOfPath(['schedule', 'sessions', 0, 'end'])).toBe('sessions');
    expect(columnOfPath(['title', 'de'])).toBe('title_de');
    expect(columnOfPath(['cost'])).toBe('cost_free');
    expect(columnOfPath(['venue', 'postcode'])).toBe('venue');
  });
});

describe('reading cells', () => {
  it.each([
    ['Di 09:00-12:00 | Do 09:00-12:00', [['tue', '09:00', '12:00'], ['thu', '09:00', '12:00']]],
    ['Tue 9:00 – 12:00\nThursday 9.00-12.00', [['tue', '09:00', '12:00'], ['thu', '09:00', '12:00']]],
    ['Mi. 18:00-20:00', [['wed', '18:00', '20:00']]],
    ['So 10:00-11:00 | Su 10:00-11:00', [['sun', '10:00', '11:00'], ['sun', '10:00', '11:00']]],
  ])('reads sessions %j', (cell, expected) => {
    const result = sessionsCell.parse(cell);
    expect(result).toEqual({ ok: true, value: { flexible: false, sessions: expected.map(([day, start, end]) => ({ day, start, end })) } });
  });

  it.each(['flexibel', 'Flexible'])('reads %s as a flexible schedule', (cell) => {
    expect(sessionsCell.parse(cell)).toEqual({ ok: true, value: { flexible: true, sessions: [] } });
  });

  it('explains a session it cannot read', () => {
    expect(sessionsCell.parse('Di 09:00-12:00 | Xy 10:00-11:00')).toMatchObject({ ok: false, message: expect.stringContaining('Xy 10:00-11:00') });
  });

  it.each([
    ['31.01.2027', '2027-01-31'],
    ['1.2.2027', '2027-02-01'],
    ['2027-01-31', '2027-01-31'],
  ])('reads the date %s', (cell, iso) => {
    expect(dateCell.parse(cell)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['ja', true],
    ['Nein', false],
    ['TRUE', true],
    ['false', false],
  ])('reads %s as %s', (cell, value) => {
    expect(booleanCell.parse(cell)).toEqual({ ok: true, value });
  });

  it('reads decimals with a comma or a point', () => {
    expect(decimalCell.parse('2,29')).toEqual({ ok: true, value: 2.29 });
    expect(decimalCell.parse('2.29')).toEqual({ ok: true, value: 2.29 });
    expect(decimalCell.parse('1.000,00').ok).toBe(false);
  });
});

describe('spreadsheet formulas', () => {
  it.each(['=1+1', '+49 6341', '-5', '@SUM(A1)', '\tTab', '\rCR'])('neutralises %j on export and restores it on import', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    expect(restoreFormula(neutraliseFormula(cell))).toBe(cell);
  });

  it('keeps a quote that was typed before anything else', () => {
    expect(neutraliseFormula("'Hallo'")).toBe("'Hallo'");
    expect(restoreFormula("'Hallo'")).toBe("'Hallo'");
  });
});
