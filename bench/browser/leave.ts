// Leave detection in a room of three: one user goes away — its tab closed (page.close()),
// or its whole browser frozen (SIGSTOP of the process tree, e2e/support) — and the two
// others record, in their own pages, when it leaves their member list (the bare page: when
// its link's data channel closes or the connection leaves 'connected'). The time is the
// later of the two, from the moment Node closed or froze it (converted to the pages' clock).
import { type Summary, summarize } from '../stats.ts';
import type { BrowserBenchEnv } from './env.ts';
import {
  clockOffset,
  closeUsers,
  createUsers,
  type Flavor,
  navigateAll,
  nodeNow,
  readRecord,
  roomUrl,
  waitMeshDone,
} from './room.ts';

export type LeaveKind = 'closed' | 'frozen';

const ROOM_SIZE = 3;
const MESH_TIMEOUT_MS = 30_000;
const DETECT_TIMEOUT_MS = 30_000;

export interface LeaveResult {
  flavor: Flavor;
  kind: LeaveKind;
  runsMs: number[];
  /** Runs in which some remaining user never dropped the leaver. */
  undetected: number;
  summary: Summary;
}

export async function measureLeaveOnce(env: BrowserBenchEnv, flavor: Flavor, kind: LeaveKind): Promise<number> {
  const leaverIndex = ROOM_SIZE - 1;
  const users = await createUsers(env, flavor, ROOM_SIZE, {
    meshMessage: true,
    freezable: kind === 'frozen' ? [leaverIndex] : [],
  });
  const leaver = users[leaverIndex];
  const stayers = users.slice(0, leaverIndex);
  const observer = stayers[0];
  if (!leaver || !observer) throw new Error('three users expected');
  let frozen = false;
  try {
    await navigateAll(users, roomUrl(env, flavor, ROOM_SIZE));
    const meshed = await Promise.all(users.map((user) => waitMeshDone(user.page, MESH_TIMEOUT_MS)));
    if (!meshed.every(Boolean))
      throw new Error(`${flavor}: the room of three did not form within ${MESH_TIMEOUT_MS} ms`);
    const leaverId = await leaver.page.evaluate(() =>
      (globalThis as unknown as { __bench: { selfId(): string | null } }).__bench.selfId(),
    );
    if (leaverId === null) throw new Error('the leaving user has no id');
    const offset = await clockOffset(observer.page);
    const startedAt = nodeNow() + offset;
    if (kind === 'closed') {
      await leaver.page.close();
    } else {
      env.browsers.freeze(leaver.context);
      frozen = true;
    }
    const noticed = await Promise.all(
      stayers.map((user) =>
        user.page
          .waitForFunction(
            (id) =>
              (globalThis as unknown as { __bench: { record(): { gone: Record<string, number> } } }).__bench.record()
                .gone[id] !== undefined,
            leaverId,
            { polling: 50, timeout: DETECT_TIMEOUT_MS },
          )
          .then(() => readRecord(user.page))
          .then(
            (record) => record.gone[leaverId] ?? Number.NaN,
            () => Number.NaN,
          ),
      ),
    );
    return Math.max(...noticed) - startedAt;
  } finally {
    if (frozen) env.browsers.thaw(leaver.context);
    await closeUsers(users);
  }
}

export function summarizeLeave(flavor: Flavor, kind: LeaveKind, runsMs: number[]): LeaveResult {
  const detected = runsMs.filter((ms) => Number.isFinite(ms));
  return { flavor, kind, runsMs, undetected: runsMs.length - detected.length, summary: summarize(detected) };
}
