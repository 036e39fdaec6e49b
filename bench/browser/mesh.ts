// mesh_ms(N): from the last user's navigation start until every user has received one
// message from every other user. Each user sends one message as soon as it can: roomlink's
// users once their member list shows everyone (the app's outbox delivers it when each
// link opens), the bare page on each data channel's open.
import { machineBusyMs } from '../machine.ts';
import { type Summary, summarize } from '../stats.ts';
import type { BrowserBenchEnv } from './env.ts';
import { closeUsers, createUsers, type Flavor, navigateAll, readRecordIfAny, roomUrl, waitMeshDone } from './room.ts';
import { type MeshSteps, readMeshSteps } from './steps.ts';

const MESH_TIMEOUT_MS = 45_000;

export interface MeshRun {
  ms: number;
  deliveries: number;
  /** CPU the whole machine spent from navigation to the last delivery (machineBusyMs). */
  cpuMs: number;
  /**
   * Where the time went (median over the pages, ms from navigation): roomlink's steps, and
   * the bare page's for the steps it shares (boot, socket, join, channels, first lines).
   */
  steps?: MeshSteps;
}

export interface MeshResult {
  flavor: Flavor;
  n: number;
  runs: MeshRun[];
  /** Over the runs where every delivery was made. */
  summary: Summary;
  deliveries: number;
  expectedDeliveries: number;
}

export async function measureMeshOnce(env: BrowserBenchEnv, flavor: Flavor, n: number): Promise<MeshRun> {
  const users = await createUsers(env, flavor, n, { meshMessage: true });
  try {
    const busyAtStart = machineBusyMs();
    await navigateAll(users, roomUrl(env, flavor, n));
    await Promise.all(users.map((user) => waitMeshDone(user.page, MESH_TIMEOUT_MS)));
    const cpuMs = machineBusyMs() - busyAtStart;
    const read = await Promise.all(users.map((user) => readRecordIfAny(user.page)));
    const records = read.filter((r) => r !== null);
    const missing = read.length - records.length;
    if (missing > 0) {
      const where = users.filter((_, i) => read[i] === null).map((user) => user.page.url());
      console.log(
        `  mesh N=${n} ${flavor}: ${missing} page(s) never ran the bench script (${where.join(', ')}); run incomplete`,
      );
    }
    const start = Math.max(...records.map((r) => r.timeOrigin));
    let deliveries = 0;
    for (const record of records) {
      deliveries += new Set(record.received.filter((m) => m.text.startsWith('mesh:')).map((m) => m.from)).size;
    }
    const done = records.map((r) => r.meshDoneAt);
    const complete = missing === 0 && done.every((at): at is number => at !== null);
    const ms = complete ? Math.max(...done) - start : Number.NaN;
    return { ms, deliveries, cpuMs, steps: await readMeshSteps(users.map((user) => user.page)) };
  } finally {
    await closeUsers(users);
  }
}

export async function measureMesh(env: BrowserBenchEnv, flavor: Flavor, n: number, runs: number): Promise<MeshResult> {
  const results: MeshRun[] = [];
  for (let run = 0; run < runs; run++) results.push(await measureMeshOnce(env, flavor, n));
  return {
    flavor,
    n,
    runs: results,
    summary: summarize(results.filter((r) => Number.isFinite(r.ms)).map((r) => r.ms)),
    deliveries: results.reduce((sum, r) => sum + r.deliveries, 0),
    expectedDeliveries: runs * n * (n - 1),
  };
}
