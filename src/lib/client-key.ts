import { createHmac } from 'node:crypto';
import type { Clock } from './clock';

/**
 * What is kept of a client's address where one is needed at all (the login rate limit): an HMAC of the address under
 * a key that changes every day (derived from the secret and the UTC date). The same address gives the same key all
 * day on every instance (they share the secret), so limits work; nobody can turn a stored key back into the address
 * without the secret, and keys of different days cannot be linked.
 */
export function createClientKeys(secret: string, clock: Clock): (address: string) => string {
  let day = '';
  let dayKey = Buffer.alloc(0);
  return (address) => {
    const today = clock.now().toISOString().slice(0, 10);
    if (today !== day) {
      day = today;
      dayKey = createHmac('sha256', secret).update(`client-key:${today}`).digest();
    }
    return createHmac('sha256', dayKey).update(address).digest('base64url').slice(0, 32);
  };
}
