import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** A fresh nonce per response, before the CSP header is written: the only inline script a page may hold (JSON-LD). */
export const assignCspNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64');
  next();
};

/**
 * helmet with a strict Content-Security-Policy for every response: scripts and styles from this origin only, no
 * inline script or style (the JSON-LD data block carries the request's nonce), images also from the map tiles' origin.
 */
export function securityHeaders(options: { tileOrigin: string | undefined }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${String((res as Response).locals.cspNonce ?? 'none')}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(options.tileOrigin ? [options.tileOrigin] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
}

/**
 * For JSON (the API, /health): the same helmet headers with a CSP that allows nothing, computed once; no nonce,
 * since a JSON answer is never a page (and the API's hot path stays free of per-request header work).
 */
export function apiSecurityHeaders() {
  return helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
}
