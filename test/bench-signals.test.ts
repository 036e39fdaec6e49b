// The signaling benchmark's exact accounting (bench/signaling/tally.ts): every signal is
// tagged by its sender, counted once when sent and once when received, and a refusal the
// server answers is counted as refused; lost = sent − received − refused. Its fleets run
// here in this process against a real server.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type BotFleet, createFleet } from '../bench/signaling/bots.ts';
import type { BotSpec } from '../bench/signaling/messages.ts';
import { JOIN_P99_TARGET_MS, medianRound, type StormRound, serverJoinShare } from '../bench/signaling/run.ts';
import { signalCounters } from '../bench/signaling/server-counters.ts';
import {
  createTally,
  emptyCounts,
  lostOf,
  mergeCounts,
  readTag,
  type SignalCounts,
  type Tally,
} from '../bench/signaling/tally.ts';
import { JOIN_DURATION_BUCKETS } from '../server/metrics.ts';
import { closeAll, newRoomId, startServer, type TestServer, until } from './support.ts';

after(closeAll);

/** Generous: a round includes the bots' 2 s late-offer wait, on a machine shared with other runs. */
const ROUND_TIMEOUT_MS = 20_000;

test('a tally counts a duplicate once, an arrival after the deadline as late, an earlier round as stray', () => {
  const tally = createTally();
  tally.startRound();
  const first = tally.sent(0, 1);
  const second = tally.sent(0, 1);
  tally.received('alice', first, 1);
  tally.received('alice', first, 1);
  tally.markDeadline();
  tally.received('alice', second, 1);
  tally.received('alice', null, 1);
  tally.startRound();
  tally.received('alice', tally.sent(1, 0), 0);
  tally.received('alice', second, 1);
  assert.deepEqual(tally.counts(), {
    ...emptyCounts(),
    sent: 1,
    inTime: 1,
    stray: 1,
    hops: { '1>0': { sent: 1, received: 1 } },
  });
});

test('counts of two processes add up, hop by hop', () => {
  const a: SignalCounts = {
    ...emptyCounts(),
    sent: 5,
    inTime: 3,
    refused: 1,
    hops: { '0>1': { sent: 5, received: 3 } },
  };
  const b: SignalCounts = {
    ...emptyCounts(),
    sent: 2,
    late: 2,
    duplicates: 1,
    hops: { '1>0': { sent: 2, received: 0 } },
  };
  const sum = mergeCounts(a, b);
  assert.deepEqual(sum.hops, { '0>1': { sent: 5, received: 3 }, '1>0': { sent: 2, received: 0 } });
  assert.equal(sum.duplicates, 1);
  assert.equal(lostOf(sum), 7 - 3 - 2 - 1);
});

test('the tag survives as the SDP and the candidate carry it', () => {
  assert.deepEqual(readTag('a=mid:0\r\na=x-bench-signal:3.2.41\r\n'), { round: 3, node: 2, seq: 41 });
  assert.deepEqual(readTag('candidate:1 1 udp 2 10.0.0.1 4000 typ host x-bench-signal 1.0.7'), {
    round: 1,
    node: 0,
    seq: 7,
  });
  assert.equal(readTag('candidate:1 1 udp 2 10.0.0.1 4000 typ host'), null);
});

interface Fleets {
  fleets: BotFleet[];
  tallies: Tally[];
  done(): number;
  counts(): SignalCounts;
  pendingOffers(): number;
}

/** `clients` bots in rooms of six, bot i in fleet i mod `fleets`, all on one server (node 0). */
async function startFleets(server: TestServer, clients: number, fleetCount: number): Promise<Fleets> {
  const rooms = Array.from({ length: Math.ceil(clients / 6) }, newRoomId);
  const specs: BotSpec[][] = Array.from({ length: fleetCount }, () => []);
  for (let i = 0; i < clients; i++) {
    const room = Math.floor(i / 6);
    const size = Math.min(6, clients - room * 6);
    specs[i % fleetCount]?.push({
      roomId: rooms[room] ?? '',
      url: server.url,
      node: 0,
      expectPeers: size - 1,
      order: i,
    });
  }
  let done = 0;
  const tallies = specs.map(() => createTally());
  const fleets = specs.map((s, f) => createFleet(s, tallies[f] ?? createTally(), { onDone: () => done++ }));
  after(() => {
    for (const fleet of fleets) fleet.close();
  });
  for (const fleet of fleets) assert.equal((await fleet.connect(6)).failed, 0);
  for (const tally of tallies) tally.startRound();
  const joined = await Promise.all(fleets.map((fleet) => fleet.join(Date.now(), 1_000)));
  assert.deepEqual(
    joined.map((j) => j.errors),
    fleets.map(() => 0),
  );
  return {
    fleets,
    tallies,
    done: () => done,
    counts: () => tallies.reduce((sum, t) => mergeCounts(sum, t.counts()), emptyCounts()),
    pendingOffers: () => fleets.reduce((sum, f) => sum + f.pendingOffers(), 0),
  };
}

test('two fleets of six bots exchange with a real server: every signal sent is received once', async () => {
  const server = await startServer();
  const bots = await startFleets(server, 12, 2);
  await until(() => bots.done() === 12 && bots.pendingOffers() === 0, 'every bot done', ROUND_TIMEOUT_MS);
  // Accounted for: received or refused; a miscount either way fails below, not here.
  await until(
    () => {
      const c = bots.counts();
      return c.inTime + c.refused >= c.sent;
    },
    'every signal accounted for',
    ROUND_TIMEOUT_MS,
  );
  const counts = bots.counts();
  const byServer = await signalCounters(server.app.metrics.registry);
  // Two rooms of six: at least 2 × 6 × 5 × (1 description + 3 candidates).
  assert.ok(counts.sent >= 240, `${counts.sent} sent`);
  assert.equal(counts.inTime, counts.sent);
  assert.equal(byServer.relayed, counts.sent);
  assert.deepEqual(
    { refused: counts.refused, duplicates: counts.duplicates, stray: counts.stray, untagged: counts.untagged },
    { refused: 0, duplicates: 0, stray: 0, untagged: 0 },
  );
  assert.equal(lostOf(counts), 0);
  assert.deepEqual(counts.hops, { '0>0': { sent: counts.sent, received: counts.sent } });
  // Every join timed on the node: each bucket holds at least the one below it, all 12 in +Inf.
  assert.equal(byServer.joinBuckets['+Inf'], 12);
  assert.equal(byServer.admitBuckets['+Inf'], 12);
  const cumulative = JOIN_DURATION_BUCKETS.map((le) => byServer.joinBuckets[String(le)] ?? -1);
  assert.deepEqual(
    cumulative,
    [...cumulative].sort((a, b) => a - b),
  );
  const between = bots.fleets.map((fleet) => fleet.betweenConnected(new Set()));
  assert.deepEqual(
    { sent: between.reduce((sum, b) => sum + b.sent, 0), received: between.reduce((sum, b) => sum + b.received, 0) },
    { sent: counts.sent, received: counts.sent },
  );
});

test('signals the server refuses are counted as refused, not lost', async () => {
  // Eight signals at once, then one a second: a bot offering to five peers runs out.
  const server = await startServer({ rateSignalSocket: { perSecond: 1, burst: 8 } });
  const bots = await startFleets(server, 6, 1);
  await until(
    () => {
      const c = bots.counts();
      return bots.pendingOffers() === 0 && c.refused > 0 && c.inTime + c.refused >= c.sent;
    },
    'refusals seen and every signal accounted for',
    ROUND_TIMEOUT_MS,
  );
  const counts = bots.counts();
  const byServer = await signalCounters(server.app.metrics.registry);
  assert.equal(counts.refused, byServer.refused);
  assert.equal(counts.inTime, byServer.relayed);
  assert.equal(counts.inTime + counts.refused, counts.sent);
  assert.equal(counts.duplicates, 0);
  assert.equal(lostOf(counts), 0);
});

test("the nodes' join share: the bucket that holds the 99th percentile, and the share within the target", () => {
  // The share is read from the bucket whose bound is the target: the server must have one.
  assert.equal(JOIN_P99_TARGET_MS, 50);
  assert.ok(JOIN_DURATION_BUCKETS.includes(JOIN_P99_TARGET_MS / 1000), 'a histogram bucket at the target');
  // 1,000 joins: 989 within 50 ms (one short of 99 %), 995 within 100 ms, all within 250 ms.
  const buckets = { '0.01': 980, '0.025': 985, '0.05': 989, '0.1': 995, '0.25': 1_000, '+Inf': 1_000 };
  assert.deepEqual(serverJoinShare(buckets), { p99AtMostMs: 100, withinTargetPct: 98.9 });
  assert.deepEqual(serverJoinShare({ ...buckets, '0.05': 990 }), { p99AtMostMs: 50, withinTargetPct: 99 });
  assert.deepEqual(serverJoinShare({ '0.05': 0, '+Inf': 0 }), { p99AtMostMs: null, withinTargetPct: 0 });
  // Past the last bound: only +Inf holds the 99th percentile.
  assert.deepEqual(serverJoinShare({ '5': 10, '+Inf': 100 }), { p99AtMostMs: null, withinTargetPct: 0 });
});

test('the storm reported is the round with the median rate, whatever order the rounds came in', () => {
  const round = (perSecond: number) => ({ perSecond, ms: 1, signals: perSecond }) as StormRound;
  assert.equal(medianRound([round(20_000), round(14_000), round(17_000)]).perSecond, 17_000);
  // An even count takes the lower middle one, as the bench's other medians do.
  assert.equal(medianRound([round(4), round(1), round(3), round(2)]).perSecond, 2);
  assert.throws(() => medianRound([]), /no storm rounds/);
});
