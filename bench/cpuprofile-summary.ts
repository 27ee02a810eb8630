/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof` or bench/profile-app.ts):
 *   node --import tsx bench/cpuprofile-summary.ts <file.cpuprofile> [--top 25] [--requests N]
 * Prints self time by module (a package in node_modules, a node: built-in, a file under src/, or V8's
 * (garbage collector)/(program)/(idle)), self time by function, and inclusive time of the functions that
 * matter for a request. With --requests, each line also shows microseconds per request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** Where a frame's code lives, at the granularity that says who to blame. */
export function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:').split('/').slice(0, 2).join('/');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const [scopeOrName = '', name = ''] = url.slice(nm + 'node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  const local = url.replace(/^file:\/\//, '');
  return path.relative(path.resolve(__dirname, '..'), local);
}

function frameName(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${moduleOf(frame)}:${frame.lineNumber + 1}`;
}

export function summarise(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // samples[i] was taken timeDeltas[i + 1] before the next one; the last sample gets the mean.
  const mean = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? mean)));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByModule = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const module = moduleOf(node.callFrame);
    selfByModule.set(module, (selfByModule.get(module) ?? 0) + us);
    selfByFunction.set(frameName(node.callFrame), (selfByFunction.get(frameName(node.callFrame)) ?? 0) + us);
    // Inclusive: every distinct function on the stack of this sample (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      const name = frameName(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusiveByFunction.set(name, (inclusiveByFunction.get(name) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalUs: total, selfByModule: sorted(selfByModule), selfByFunction: sorted(selfByFunction), inclusiveByFunction: sorted(inclusiveByFunction) };
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: cpuprofile-summary.ts <file.cpuprofile> [--top 25] [--requests N]');
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const top = option('--top') ?? 25;
  const requests = option('--requests');
  const { totalUs, selfByModule, selfByFunction, inclusiveByFunction } = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const idleUs = selfByModule.find(([m]) => m === '(idle)')?.[1] ?? 0;
  const busyUs = totalUs - idleUs;
  const line = ([name, us]: [string, number]) =>
    `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)} %${requests ? ` ${(us / requests).toFixed(0).padStart(6)} µs/req` : ''}  ${name}`;
  const out = [`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled, ${(busyUs / 1000).toFixed(0)} ms not idle (percentages are of the non-idle time)${requests ? `, ${requests} requests → ${(busyUs / requests).toFixed(0)} µs busy per request` : ''}`];
  out.push('', 'self time by module:', ...selfByModule.slice(0, top).map(line));
  out.push('', 'self time by function:', ...selfByFunction.slice(0, top).map(line));
  out.push('', 'inclusive time by function:', ...inclusiveByFunction.filter(([n]) => !n.startsWith('(')).slice(0, top * 2).map(line));
  process.stdout.write(`${out.join('\n')}\n`);
}

if (require.main === module) main();
