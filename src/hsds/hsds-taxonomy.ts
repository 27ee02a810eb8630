import type { Translate } from '../i18n/i18n';
import { COURSE_TYPES, LEVELS, MODES } from '../courses/course.enums';
import { hsdsId } from './hsds-ids';
import type { HsdsTaxonomy, HsdsTaxonomyTerm } from './hsds.types';

/**
 * Our own, documented taxonomy (the developers' page lists it): the course facts that matter to the people
 * looking for a course. Terms are coded `<group>:<value>` (e.g. `course_type:job_language`, `level:A1`); the
 * yes/no facts `women_only` and `childcare` are single terms. Names are German (the data's language), codes English.
 */
export const TAXONOMY_KEY = 'sprachkursfinder';
export const TAXONOMY_VERSION = '1';
export const TAXONOMY_ID = hsdsId('taxonomy', TAXONOMY_KEY);

export const TERM_GROUPS = ['course_type', 'level', 'mode'] as const;
export type TermGroup = (typeof TERM_GROUPS)[number];
const GROUP_VALUES: Record<TermGroup, readonly string[]> = { course_type: COURSE_TYPES, level: LEVELS, mode: MODES };
/** Where a group's value names live in the `common` namespace. */
const GROUP_ENUM: Record<TermGroup, string> = { course_type: 'enum.type', level: 'enum.level', mode: 'enum.mode' };

/** What a term means as a condition on a stored course: the one place the API's `taxonomy_term_id` filter comes from. */
export type TermCondition =
  | { kind: 'group'; group: TermGroup }
  | { kind: 'value'; group: TermGroup; value: string }
  | { kind: 'women_only' }
  | { kind: 'childcare' };

export type TermEntry = { term: HsdsTaxonomyTerm; condition: TermCondition };

export function termId(code: string): string {
  return hsdsId('taxonomy_term', TAXONOMY_KEY, code);
}

/** Every term of the taxonomy with the condition it stands for, in a stable order. */
export function buildTaxonomy(t: Translate, profileUrl: string): { taxonomy: HsdsTaxonomy; terms: TermEntry[] } {
  const taxonomy: HsdsTaxonomy = {
    id: TAXONOMY_ID,
    name: 'Sprachkursfinder',
    description: t('opendata:taxonomy.description'),
    uri: `${profileUrl}#taxonomy`,
    version: TAXONOMY_VERSION,
  };
  const term = (code: string, name: string, description: string, parent?: string): HsdsTaxonomyTerm => ({
    id: termId(code),
    code,
    name,
    description,
    ...(parent ? { parent_id: termId(parent) } : {}),
    taxonomy: 'Sprachkursfinder',
    taxonomy_id: TAXONOMY_ID,
    language: 'de',
    term_uri: `${profileUrl}#term-${code.replace(':', '-')}`,
  });
  const terms: TermEntry[] = [];
  for (const group of TERM_GROUPS) {
    terms.push({ term: term(group, t(`opendata:taxonomy.${group}.name`), t(`opendata:taxonomy.${group}.description`)), condition: { kind: 'group', group } });
    for (const value of GROUP_VALUES[group]) {
      const name = t(`${GROUP_ENUM[group]}.${value}`);
      terms.push({ term: term(`${group}:${value}`, name, t(`opendata:taxonomy.${group}.value`, { name }), group), condition: { kind: 'value', group, value } });
    }
  }
  terms.push({ term: term('women_only', t('opendata:taxonomy.women_only.name'), t('opendata:taxonomy.women_only.description')), condition: { kind: 'women_only' } });
  terms.push({ term: term('childcare', t('opendata:taxonomy.childcare.name'), t('opendata:taxonomy.childcare.description')), condition: { kind: 'childcare' } });
  return { taxonomy, terms };
}
