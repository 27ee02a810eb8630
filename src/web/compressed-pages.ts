import zlib from 'node:zlib';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Below this many bytes compressing costs more than it saves (the `compression` middleware's default, 1 KB). */
const MIN_BYTES = 1024;
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
const GZIP = { level: 3 };

/**
 * Rendered pages are compressed in one synchronous step once the HTML is complete: brotli quality 1 for browsers
 * that accept it (a 46 KB results page: 6.0 KB in 0.22 ms), else gzip level 3 (5.9 KB in 0.41 ms). The `compression`
 * middleware, which still serves everything else (CSS, scripts, the icon sprite), streams every body through a zlib
 * stream on the thread pool: for a page that exists whole in memory that machinery cost more main-thread time than
 * the compression itself (bench/README.md → run J). Pages carry a fresh CSP nonce, so there is no ETag to keep.
 */
export const compressedPages: RequestHandler = (req, res, next) => {
  type Done = (error: Error | null, html: string) => void;
  const render = res.render.bind(res) as (view: string, options: object, callback: Done) => void;
  res.render = ((view: string, options?: object | Done, callback?: Done) => {
    if (typeof options === 'function') return render(view, {}, options as Done);
    if (callback) return render(view, options ?? {}, callback);
    // As Express's own render does: an error goes to the route that rendered (`req.next`), not back to this middleware.
    return render(view, options ?? {}, (error, html) => (error ? (req.next as NextFunction)(error) : sendHtml(preferredEncoding(req), res, html)));
  }) as Response['render'];
  next();
};

/** Brotli whenever the browser takes it (every current one does), else gzip; the client's order of listing does not decide. */
function preferredEncoding(req: Request): 'br' | 'gzip' | 'identity' {
  if (req.acceptsEncodings('br')) return 'br';
  return req.acceptsEncodings('gzip') ? 'gzip' : 'identity';
}

function sendHtml(encoding: 'br' | 'gzip' | 'identity', res: Response, html: string): void {
  const body = Buffer.from(html, 'utf8');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.vary('Accept-Encoding');
  if (body.length < MIN_BYTES || encoding === 'identity') {
    res.setHeader('Content-Length', body.length);
    res.end(body);
    return;
  }
  const packed = encoding === 'br' ? zlib.brotliCompressSync(body, BROTLI) : zlib.gzipSync(body, GZIP);
  res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', packed.length);
  res.end(packed);
}
