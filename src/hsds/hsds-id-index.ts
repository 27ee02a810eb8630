import { Types, type Model } from 'mongoose';
import { hsdsId, type HsdsKind } from './hsds-ids';

/** Documents created this long before the newest one seen are looked at again (another instance's clock may lag). */
const CLOCK_SKEW_SECONDS = 120;

/**
 * From a published UUID back to our ObjectId. A UUIDv5 is a hash, so the only way back is to hash our ids: this
 * keeps the answer in memory and, on a miss, hashes only the documents created since the last look (ObjectIds
 * grow with their creation time; `_id` is always indexed), so a lookup costs one full pass once per instance.
 */
export function createIdIndex<T>(model: Model<T>, kind: HsdsKind) {
  const byUuid = new Map<string, string>();
  let newest: Types.ObjectId | undefined;
  let refreshing: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const since = newest ? Types.ObjectId.createFromTime(Math.max(0, newest.getTimestamp().getTime() / 1000 - CLOCK_SKEW_SECONDS)) : undefined;
    const cursor = model.find(since ? { _id: { $gte: since } } : {}, { _id: 1 }).lean<{ _id: Types.ObjectId }>().cursor();
    for await (const { _id } of cursor) {
      byUuid.set(hsdsId(kind, _id.toString()), _id.toString());
      if (!newest || _id.getTimestamp() > newest.getTimestamp()) newest = _id;
    }
  }

  /** Our id for a published UUID, or undefined when none of our documents has it. */
  async function resolve(uuid: string): Promise<string | undefined> {
    const known = byUuid.get(uuid.toLowerCase());
    if (known) return known;
    // Concurrent misses share one pass.
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    await refreshing;
    return byUuid.get(uuid.toLowerCase());
  }

  return { resolve };
}
