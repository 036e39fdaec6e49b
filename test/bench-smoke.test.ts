// A smoke run of the signaling benchmark at a tiny size, so that `npm run bench` cannot rot:
// the real server in its own process, two bot processes, twelve bots in rooms of six doing
// the full exchange. It asserts the numbers are sane, not fast (speed is the benchmark's job),
// and that the two processes' signal counts add up to exactly what the server relayed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderChart } from '../bench/report/svg.ts';
import { runSignaling } from '../bench/signaling/run.ts';

test('the signaling benchmark runs twelve bots through join and a full exchange', { timeout: 60_000 }, async () => {
  const result = await runSignaling({ clients: 12, nodes: 1, redis: false, joinRate: 500, botProcs: 2, quick: true });
  assert.equal(result.connect.ok, 12);
  assert.equal(result.connect.failed, 0);
  assert.equal(result.join.errors, 0);
  assert.ok(result.join.p50Ms > 0 && result.join.p99Ms >= result.join.p50Ms && Number.isFinite(result.join.p99Ms));
  // Every join's admission timed on the node, within its whole join.
  assert.ok(result.join.server.admitP99AtMostMs !== null && result.join.server.p99AtMostMs !== null);
  assert.ok(result.join.server.admitP99AtMostMs <= result.join.server.p99AtMostMs);
  for (const loop of [result.join.bots, result.join.server]) {
    assert.ok(Number.isFinite(loop.loopP99Ms) && loop.loopMaxMs >= loop.loopP99Ms && loop.gcMaxMs >= 0);
  }
  assert.equal(result.exchange.incompleteBots, 0);
  // Two rooms of six: at least 2 × 6 × 5 × (1 description + 3 candidates), each counted once.
  const signals = result.exchange.accounting;
  assert.ok(result.exchange.signals >= 240 && signals.sent >= 240);
  assert.equal(signals.relayed, signals.sent);
  assert.equal(signals.inTime, signals.sent);
  assert.deepEqual(
    { late: signals.late, refused: signals.refused, duplicates: signals.duplicates, lost: signals.lost },
    { late: 0, refused: 0, duplicates: 0, lost: 0 },
  );
  assert.deepEqual(signals.hops, { '0>0': { sent: signals.sent, received: signals.sent } });
  assert.equal(result.server.sockets, 12);
  assert.ok(result.server.baseHeapMB > 1 && Number.isFinite(result.server.heapPerJoinedSocketKB));
  assert.ok(result.server.cpuJoinPct > 0);
});

test('the benchmark chart is an SVG with both panels drawn', () => {
  const svg = renderChart({
    title: 't',
    subtitle: 's',
    mesh: {
      app: [
        { n: 2, median: 100, min: 90, max: 120 },
        { n: 4, median: 200, min: 180, max: 260 },
      ],
      bare: [
        { n: 2, median: 80, min: 70, max: 90 },
        { n: 4, median: 150, min: 140, max: 170 },
      ],
    },
    latency: { app: [1, 2, 3], bare: [0.5, 0.6, 0.7] },
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(svg.match(/<polyline/g)?.length, 4);
});
