// server/room-mending.ts, on a stand-in for the Socket.IO server: a node that wrote rooms back
// announces its members and asks the other nodes for theirs until every node alive answers,
// each time once its link is whole, at most ASKS_PER_ROOM times; a node asked answers once it
// has announced its own.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { PeerInfo } from '../protocol/signaling.ts';
import { createLogger } from '../server/logger.ts';
import { ASKS_PER_ROOM, startRoomMending } from '../server/room-mending.ts';
import type { RoomServer } from '../server/rooms.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

const ROOM = 'room-to-mend-000001';
/** Longer than any wait of room-mending.ts's: the link's poll, the wait between asks, an ask's timeout. */
const A_WHILE_MS = 10_000;

/** What the mending did through the server: announcements, asks (their acks to call), and the handler of other nodes' asks. */
function serverBed() {
  const announced: string[] = [];
  const asks: Array<(error: Error | null, responses?: unknown[]) => void> = [];
  let onAsked: ((roomIds: unknown, answer?: unknown) => void) | undefined;
  const io = {
    to: (room: string) => ({
      except: () => ({ emit: (_event: string, peer: PeerInfo) => announced.push(`${room} ${peer.id}`) }),
    }),
    of: () => ({
      adapter: {
        serverSideEmit: (packet: unknown[]) => {
          asks.push(packet.at(-1) as (error: Error | null, responses?: unknown[]) => void);
        },
      },
    }),
    // The namespace's own ask (which room-mending.ts leaves alone: its failure would go unhandled).
    serverSideEmit: (_event: string, _rooms: string[], ack?: (error: Error | null) => void) => {
      asks.push(ack ?? (() => {}));
    },
    on: (_event: string, handler: typeof onAsked) => {
      onAsked = handler;
    },
  } as unknown as RoomServer;
  let whole = true;
  const lines: Array<Record<string, unknown>> = [];
  const mending = startRoomMending({
    io,
    link: { state: () => 'up', whole: () => whole },
    membersHere: () => [{ id: 'ann-peer-1', name: 'Ann' }],
    log: createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) }),
  });
  return {
    mending,
    announced,
    asks,
    lines,
    asked: (roomIds: unknown, answer?: unknown) => onAsked?.(roomIds, answer),
    setWhole: (value: boolean) => {
      whole = value;
    },
  };
}

test('an ask some node did not answer is made again, with the announcement, once the link is whole; answered, it stops', () => {
  const bed = serverBed();
  bed.mending.writtenBack([ROOM]);
  assert.equal(bed.asks.length, 1);
  assert.equal(bed.announced.length, 1);
  // A second failover: the ask is lost, and the link is not whole for a while.
  bed.setWhole(false);
  bed.asks[0]?.(new Error('timeout reached: only 1 responses received out of 2'));
  mock.timers.tick(A_WHILE_MS);
  assert.equal(bed.asks.length, 1, 'not while the link is not whole');
  bed.setWhole(true);
  mock.timers.tick(A_WHILE_MS);
  assert.equal(bed.asks.length, 2);
  assert.equal(bed.announced.length, 2);
  bed.asks[1]?.(null);
  mock.timers.tick(A_WHILE_MS * 3);
  assert.equal(bed.asks.length, 2);
  bed.mending.close();
});

test('an ask never answered, not even with an error, is made again; after ASKS_PER_ROOM it is given up, and said', () => {
  const bed = serverBed();
  bed.mending.writtenBack([ROOM]);
  for (let n = 0; n < ASKS_PER_ROOM * 3; n += 1) mock.timers.tick(A_WHILE_MS);
  assert.equal(bed.asks.length, ASKS_PER_ROOM);
  assert.equal(bed.lines.filter((line) => line['level'] === 40).length, 1);
  bed.mending.close();
});

test('a node asked answers once it has announced its own members, when its link is whole', () => {
  const bed = serverBed();
  bed.setWhole(false);
  let answered = 0;
  bed.asked([ROOM, 'not a room id'], (name: unknown) => {
    assert.equal(typeof name, 'string', 'a node answers with its name');
    answered += 1;
  });
  assert.deepEqual([bed.announced.length, answered], [0, 0]);
  bed.setWhole(true);
  mock.timers.tick(A_WHILE_MS);
  assert.deepEqual(bed.announced, [`room:${ROOM} ann-peer-1`]);
  assert.equal(answered, 1);
  assert.equal(bed.asks.length, 0, 'an answer asks nothing back');
  // A node from before answers were asked for sends none: announced all the same.
  bed.asked([ROOM]);
  assert.equal(bed.announced.length, 2);
  bed.mending.close();
});

test('in a rolling upgrade, nodes that never answer (an older version) do not make every ask go again; a node that answered before and did not now does', () => {
  const bed = serverBed();
  const timedOut = new Error('timeout reached: only 1 responses received out of 2');
  bed.mending.writtenBack([ROOM]);
  // Node B answers, an older node never does.
  bed.asks[0]?.(timedOut, ['node-b']);
  mock.timers.tick(A_WHILE_MS);
  assert.equal(bed.asks.length, 2, 'the first ask has none before it: made again once');
  bed.asks[1]?.(timedOut, ['node-b']);
  for (let n = 0; n < ASKS_PER_ROOM * 3; n += 1) mock.timers.tick(A_WHILE_MS);
  assert.equal(bed.asks.length, 2);
  assert.equal(bed.announced.length, 2);
  assert.equal(bed.lines.filter((line) => line['level'] === 40).length, 0, 'no warning');
  assert.ok(bed.lines.some((line) => String(line['msg']).includes('an older version?')));
  // Later, node B misses an ask (lost in a failover): made again.
  bed.mending.writtenBack(['room-to-mend-000002']);
  bed.asks[2]?.(timedOut, []);
  mock.timers.tick(A_WHILE_MS);
  assert.equal(bed.asks.length, 4);
  bed.mending.close();
});
