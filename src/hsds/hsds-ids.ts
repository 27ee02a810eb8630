import { v5 as uuidv5 } from 'uuid';

/**
 * The project's own UUIDv5 namespace, fixed for ever: every HSDS id is derived from our ids under it, so the same
 * course has the same service id in every export, on every app instance and after a restart. Changing it would
 * change every published id and break every consumer that stored them.
 */
export const HSDS_NAMESPACE = '197ecfbd-9f3a-4f54-8cde-b3a351003602';

/** What an id names; part of the hashed name, so a course and a provider with the same ObjectId never collide. */
export type HsdsKind =
  | 'organization'
  | 'organization_phone'
  | 'organization_identifier'
  | 'service'
  | 'service_phone'
  | 'service_contact'
  | 'service_url'
  | 'location'
  | 'address'
  | 'accessibility'
  | 'service_at_location'
  | 'schedule'
  | 'language'
  | 'cost_option'
  | 'capacity'
  | 'unit'
  | 'attribute'
  | 'taxonomy'
  | 'taxonomy_term';

/** `hsdsId('service', courseId)` → the same UUID every time, from the kind and our own ids and keys. */
export function hsdsId(kind: HsdsKind, ...parts: ReadonlyArray<string | number>): string {
  return uuidv5(`${kind}:${parts.join(':')}`, HSDS_NAMESPACE);
}
