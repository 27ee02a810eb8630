import { rmSync } from 'node:fs';

type Servers = { mongo: { stop(): Promise<void> }; meili: { stop(): Promise<void> }; dataDir: string };

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>).__skfServers as Servers | undefined;
  if (!servers) return;
  await Promise.all([servers.mongo.stop(), servers.meili.stop()]);
  rmSync(servers.dataDir, { recursive: true, force: true });
}
