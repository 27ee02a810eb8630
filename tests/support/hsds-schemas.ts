/**
 * The official HSDS 3 JSON Schemas (vendored read-only in /work/shared/vendor/hsds3, see its README), compiled with
 * Ajv 2020 (`strict: false`: they carry non-JSON-Schema keywords). Each schema comes in two passes: as published, and
 * with `additionalProperties: false` injected into every object, so a misspelled field fails too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const HSDS_SCHEMA_DIR = process.env.HSDS_SCHEMA_DIR ?? '/work/shared/vendor/hsds3/schema';
const BASE = 'https://hsds.local/schema/';

export type SchemaName = 'service' | 'service_list' | 'organization' | 'organization_list' | 'taxonomy' | 'taxonomy_term';
export type Pass = 'published' | 'closed';

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  return JSON.parse(readFileSync(path.join(HSDS_SCHEMA_DIR, file), 'utf8')) as Json;
}

/** `additionalProperties: false` on every object schema that lists properties (and no other rule on extra ones). */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = key === 'example' ? value : closed(value);
  if (typeof copy.properties === 'object' && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

const FILES: Record<SchemaName, string> = {
  // The same rules as compiled/service.json, 6× faster to compile (vendor README).
  service: 'compiled/service_with_definitions.json',
  service_list: 'compiled/service_list.json',
  organization: 'compiled/organization.json',
  organization_list: 'compiled/organization_list.json',
  taxonomy: 'taxonomy.json',
  taxonomy_term: 'taxonomy_term.json',
};

const validators = new Map<string, ValidateFunction>();

function ajvFor(pass: Pass): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The component schemas refer to each other by file name: one common base for all.
  for (const file of readdirSync(HSDS_SCHEMA_DIR).filter((name) => name.endsWith('.json') && name !== 'openapi.json')) {
    const schema = readJson(file);
    ajv.addSchema((pass === 'closed' ? closed(schema) : schema) as Json, `${BASE}${file}`);
  }
  return ajv;
}

const ajvs = new Map<Pass, Ajv2020>();

export function validator(name: SchemaName, pass: Pass): ValidateFunction {
  const key = `${name}:${pass}`;
  let validate = validators.get(key);
  if (!validate) {
    const ajv = ajvs.get(pass) ?? ajvFor(pass);
    ajvs.set(pass, ajv);
    const file = FILES[name];
    validate = file.startsWith('compiled/')
      ? ajv.compile((pass === 'closed' ? closed(readJson(file)) : readJson(file)) as Json)
      : (ajv.getSchema(`${BASE}${file}`) as ValidateFunction);
    validators.set(key, validate);
  }
  return validate;
}

/** Every error of every object against the schema, in both passes: [] when all are valid. */
export function schemaErrors(name: SchemaName, objects: readonly unknown[]): string[] {
  const errors: string[] = [];
  for (const pass of ['published', 'closed'] as const) {
    const validate = validator(name, pass);
    objects.forEach((object, i) => {
      if (!validate(object)) {
        for (const error of validate.errors ?? []) errors.push(`${name}[${i}] (${pass}) ${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
      }
    });
  }
  return errors;
}
