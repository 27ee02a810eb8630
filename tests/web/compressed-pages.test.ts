import http from 'node:http';
import zlib from 'node:zlib';
import { serve, type RunningServer } from '../support/browser';
import { seedDemoCatalog } from '../support/demo-catalog';
import { createTestApp, type TestApp } from '../support/test-app';

/** Rendered pages compress themselves in one step; what a browser gets must be the same page, correctly labelled. */
let t: TestApp;
let server: RunningServer;

beforeAll(async () => {
  t = await createTestApp('compressedpages');
  await seedDemoCatalog(t);
  server = await serve(t.app);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
}, 30_000);

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** The bytes as sent (supertest would decode gzip and brotli on its own). */
function raw(path: string, acceptEncoding: string, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .request(`${server.url}${path}`, { method, headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

const RESULTS = '/courses?level=A1&lang=de';

describe('compressed pages', () => {
  let identity: string;
  beforeAll(async () => {
    const res = await raw(RESULTS, 'identity');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    identity = res.body.toString('utf8');
  });

  it('sends brotli to a browser that accepts it, with its length and Vary, and the same page inside', async () => {
    const res = await raw(RESULTS, 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const html = zlib.brotliDecompressSync(res.body).toString('utf8');
    expect(html).toMatch(/data-total="\d+"/);
    // The same page apart from its per-request CSP nonce.
    const withoutNonce = (page: string) => page.replace(/nonce="[^"]+"/g, 'nonce=""');
    expect(withoutNonce(html)).toBe(withoutNonce(identity));
    expect(res.body.length).toBeLessThan(Buffer.byteLength(identity) / 4);
  });

  it('sends gzip to a client that accepts only gzip', async () => {
    const res = await raw(RESULTS, 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(res.body).toString('utf8')).toMatch(/data-total="\d+"/);
  });

  it('answers HEAD with the headers only, and error pages compressed like any page', async () => {
    const head = await raw(RESULTS, 'br', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/html/);
    expect(head.body.length).toBe(0);
    const missing = await raw('/courses/000000000000000000000000?lang=de', 'br');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(missing.body).toString('utf8')).toMatch(/<html[^>]+lang="de"/);
  });
});
