import type { Request } from 'express';

/** Scheme and host this request reached (`https://kurse.landau.de`), for absolute links in pages, feeds and QR codes. */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
