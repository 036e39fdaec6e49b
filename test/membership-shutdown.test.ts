// What the node that sweeps another one's members logs: a node that shut down (a SIGTERM or
// SIGINT runs app.close(), server.ts) at info, one whose heartbeat lapsed without notice (a
// crash, a SIGKILL, a stall) at warn, so that an operator tells a rolling restart from a
// crash. Its members are removed either way, as late (a member of a node that shut down
// resumes its id on another node meanwhile: test/resume-server.test.ts, e2e/restart-continuity).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from '../server/logger.ts';
import { createRedisMembership } from '../server/membership-redis.ts';
import { claim, HEARTBEAT_MS, membershipBed, logger as silent, TIMEOUT_MS } from './membership-support.ts';
import { connectClient, joinOk, newRoomId, startServer, type TestServer, until } from './support.ts';

const bed = membershipBed();

/** A sweep within a few node TTLs (three heartbeats each); this leaves room for a loaded machine. */
const SWEEP_WITHIN_MS = 15_000;

interface LogRecord {
  level: number;
  msg: string;
  dead?: string;
  rooms?: number;
}

/** pino's levels. */
const INFO = 30;
const WARN = 40;

/** A node on the bed's Redis whose log the test reads. */
async function survivor(): Promise<{ records: LogRecord[]; server: TestServer }> {
  const records: LogRecord[] = [];
  const server = await startServer(
    { redisUrl: bed.redis.url, clusterTimeoutMs: TIMEOUT_MS },
    {
      logger: createLogger('info', { write: (line: string) => void records.push(JSON.parse(line) as LogRecord) }),
      membershipNode: { heartbeatMs: HEARTBEAT_MS },
    },
  );
  return { records, server };
}

/** The record of the sweep of that node, once it is logged. */
async function sweepOf(records: LogRecord[], nodeId: string): Promise<LogRecord> {
  const find = () => records.find((r) => r.dead === nodeId && r.msg.startsWith('membership: removed the members'));
  await until(() => find() !== undefined, `the sweep of ${nodeId}`, SWEEP_WITHIN_MS);
  return find() as LogRecord;
}

describe('the sweep of a node says how it stopped', () => {
  test('a node that shut down (SIGTERM: app.close()) is logged at info, with its id and rooms', async () => {
    const { records } = await survivor();
    const nodeId = `shut-down-${newRoomId()}`;
    const leaving = await startServer(
      { redisUrl: bed.redis.url, clusterTimeoutMs: TIMEOUT_MS },
      { membershipNode: { nodeId, heartbeatMs: HEARTBEAT_MS } },
    );
    const alice = await connectClient(leaving.url);
    await joinOk(alice, newRoomId(), 'Alice');
    await leaving.close();
    const record = await sweepOf(records, nodeId);
    assert.deepEqual(
      { level: record.level, msg: record.msg, rooms: record.rooms },
      { level: INFO, msg: 'membership: removed the members of a node that shut down', rooms: 1 },
    );
  });

  test('a node whose heartbeat lapsed without notice (a crash) is still logged at warn', async () => {
    const { records } = await survivor();
    const nodeId = `crashed-${newRoomId()}`;
    const crashed = createRedisMembership({
      target: { kind: 'single', url: bed.redis.url },
      logger: silent,
      timeoutMs: TIMEOUT_MS,
      onGone: () => {},
      onBack: () => {},
      nodeId,
      heartbeatMs: HEARTBEAT_MS,
    });
    bed.stores.push(crashed);
    assert.equal(await crashed.ready(3_000), true);
    assert.equal((await crashed.admit(newRoomId(), claim('dies', 'Dies'), 6)).ok, true);
    // No goodbye: its heartbeat just stops, like a SIGKILL.
    await crashed.close();
    const record = await sweepOf(records, nodeId);
    assert.deepEqual(
      { level: record.level, msg: record.msg },
      { level: WARN, msg: 'membership: removed the members of a node that stopped without notice' },
    );
  });
});
