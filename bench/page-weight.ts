/**
 * Page weight of the results page (npm run bench:page-weight [-- --url http://127.0.0.1:3000]).
 *
 * Requests the results page for a typical search with `Accept-Encoding: gzip, br`, as a browser does, then every
 * stylesheet and script it references, and sums the bytes that travel (compressed bodies). Leaflet and map tiles
 * load only when the reader opens the map, so they are not counted (issue 9 → Quality bars: ≤ 60 KB).
 * Also checks that no web font blocks rendering (no @font-face, no font preload): system fonts render Arabic.
 * Without --url the app is started here as `npm start` starts it (embedded servers, demo data). Exits 1 above budget.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { TYPICAL_RESULTS_QUERY } from '../tests/support/site-pages';
import { startLocalSite } from './local-site';

export const PAGE_WEIGHT_BUDGET = 60 * 1024;
export const RESULTS_PAGE_PATH = `/courses?${TYPICAL_RESULTS_QUERY}`;

export type Transfer = { path: string; kind: 'page' | 'css' | 'js'; status: number; encoding: string; bytes: number; decodedBytes: number; body: string };
export type PageWeight = { transfers: Transfer[]; total: number; budget: number; fontProblems: string[] };

/** Only what loads with the page: the map library comes with the map. */
const LOADS_WITH_MAP = /^\/assets\/leaflet\//;

/** One GET with the raw body as it came over the wire (Node's fetch would decompress and hide the size). */
function get(url: string): Promise<Transfer & { raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip, br', accept: '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ path: new URL(url).pathname + new URL(url).search, kind: 'page', status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'identity'), bytes: raw.length, decodedBytes: 0, body: '', raw });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(raw: Buffer, encoding: string): Buffer {
  if (encoding === 'br') return brotliDecompressSync(raw);
  if (encoding === 'gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  return raw;
}

async function fetchTransfer(baseUrl: string, path: string, kind: Transfer['kind']): Promise<Transfer> {
  const { raw, ...transfer } = await get(`${baseUrl}${path}`);
  const body = decode(raw, transfer.encoding);
  return { ...transfer, kind, decodedBytes: body.length, body: body.toString('utf8') };
}

function attributes(html: string, tag: string): Array<Record<string, string>> {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))].map((match) =>
    Object.fromEntries([...(match[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]?.toLowerCase() ?? '', a[2] ?? ''])),
  );
}

/** Same-site stylesheets and scripts the page loads, minus the map library. */
export function referencedAssets(html: string): Array<{ path: string; kind: 'css' | 'js' }> {
  const css = attributes(html, 'link')
    .filter((a) => (a.rel ?? '').split(/\s+/).includes('stylesheet') && a.href)
    .map((a) => ({ path: a.href ?? '', kind: 'css' as const }));
  const js = attributes(html, 'script')
    .filter((a) => a.src)
    .map((a) => ({ path: a.src ?? '', kind: 'js' as const }));
  return [...css, ...js].filter((asset) => asset.path.startsWith('/') && !asset.path.startsWith('//') && !LOADS_WITH_MAP.test(asset.path));
}

/** Web fonts that would block rendering: @font-face in a stylesheet, or a font preload in the page. */
export function fontProblems(page: string, stylesheets: Transfer[]): string[] {
  const problems = attributes(page, 'link')
    .filter((a) => (a.rel ?? '').split(/\s+/).includes('preload') && a.as === 'font')
    .map((a) => `the page preloads the font ${a.href ?? '?'}`);
  for (const sheet of stylesheets) if (/@font-face/i.test(sheet.body)) problems.push(`${sheet.path} declares @font-face`);
  return problems;
}

export async function measurePageWeight(baseUrl: string, path = RESULTS_PAGE_PATH): Promise<PageWeight> {
  const page = await fetchTransfer(baseUrl, path, 'page');
  const assets = await Promise.all(referencedAssets(page.body).map((asset) => fetchTransfer(baseUrl, asset.path, asset.kind)));
  const transfers = [page, ...assets];
  return {
    transfers,
    total: transfers.reduce((sum, t) => sum + t.bytes, 0),
    budget: PAGE_WEIGHT_BUDGET,
    fontProblems: fontProblems(page.body, assets.filter((a) => a.kind === 'css')),
  };
}

export function formatPageWeight(weight: PageWeight): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = weight.transfers.map((t) => [t.kind, String(t.status), t.encoding, kb(t.bytes), kb(t.decodedBytes), t.path.length > 70 ? `${t.path.slice(0, 67)}...` : t.path]);
  const header = ['kind', 'status', 'encoding', 'sent', 'unpacked', 'path'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 || i === 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  return [
    line(header),
    ...rows.map(line),
    `total sent ${kb(weight.total)} (${weight.total} bytes) of ${kb(weight.budget)} budget: ${weight.total <= weight.budget ? 'within' : 'OVER'}`,
    weight.fontProblems.length === 0 ? 'render-blocking web fonts: none' : `render-blocking web fonts: ${weight.fontProblems.join('; ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const site = await startLocalSite();
  try {
    const weight = await measurePageWeight(site.url);
    process.stdout.write(`${formatPageWeight(weight)}\n`);
    const failed = weight.transfers.filter((t) => t.status !== 200);
    for (const t of failed) process.stdout.write(`not found: ${t.path} answered ${t.status}\n`);
    process.exitCode = weight.total > weight.budget || weight.fontProblems.length > 0 || failed.length > 0 ? 1 : 0;
  } finally {
    await site.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`page weight failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
