// client/path.ts: a link's path read from its stats as Chromium gives them, and the round trip
// it reports: the median of the latest readings on the same pair of candidates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPathReader, samePath, selectedPath } from '../../client/path.ts';

interface Pair {
  id: string;
  local: string;
  remote: string;
  /** Seconds, as the stats give it; undefined when the pair has none yet. */
  rtt?: number | undefined;
  /** Nominated and succeeded (default: when it is the transport's selected pair). */
  nominated?: boolean;
  /** Firefox's mark of the pair in use (it has no transport stats). */
  selected?: boolean;
}

/** A stats report of one transport and its pairs, as `pc.getStats()` resolves it. */
function report(pairs: Pair[], selected: string | null, types: Record<string, string>): RTCStatsReport {
  const entries = new Map<string, Record<string, unknown>>();
  entries.set('T01', {
    id: 'T01',
    type: 'transport',
    ...(selected === null ? {} : { selectedCandidatePairId: selected }),
  });
  for (const [id, candidateType] of Object.entries(types)) {
    entries.set(id, { id, type: id.startsWith('L') ? 'local-candidate' : 'remote-candidate', candidateType });
  }
  for (const pair of pairs) {
    entries.set(pair.id, {
      id: pair.id,
      type: 'candidate-pair',
      localCandidateId: pair.local,
      remoteCandidateId: pair.remote,
      nominated: pair.nominated ?? pair.id === selected,
      state: 'succeeded',
      ...(pair.selected === undefined ? {} : { selected: pair.selected }),
      ...(pair.rtt === undefined ? {} : { currentRoundTripTime: pair.rtt }),
    });
  }
  return entries as unknown as RTCStatsReport;
}

const HOSTS = { L1: 'host', R1: 'host', L2: 'host', R2: 'host', L3: 'relay', R3: 'srflx' };
/** The pair before an ICE restart and the one after: new candidates, of the same types. */
const before = (rtt?: number): Pair => ({ id: 'CPL1_R1', local: 'L1', remote: 'R1', rtt });
const after = (rtt?: number): Pair => ({ id: 'CPL2_R2', local: 'L2', remote: 'R2', rtt });

test("the transport's selected pair: its candidates' types, whether it is relayed, its round trip in whole ms", () => {
  const relayed = { id: 'CPL3_R3', local: 'L3', remote: 'R3', rtt: 0.0314 };
  assert.deepEqual(selectedPath(report([{ ...before(0.002), nominated: true }, relayed], 'CPL3_R3', HOSTS)), {
    local: 'relay',
    remote: 'srflx',
    relayed: true,
    rttMs: 31,
    pairId: 'CPL3_R3',
  });
  assert.deepEqual(selectedPath(report([before()], 'CPL1_R1', HOSTS)), {
    local: 'host',
    remote: 'host',
    relayed: false,
    rttMs: null,
    pairId: 'CPL1_R1',
  });
});

test('without a selected pair on the transport, the nominated pair that succeeded; with neither, none', () => {
  const stats = report([before(0.002)], 'CPL1_R1', HOSTS);
  (stats as unknown as Map<string, Record<string, unknown>>).set('T01', { id: 'T01', type: 'transport' });
  assert.equal(selectedPath(stats)?.pairId, 'CPL1_R1');
  assert.equal(selectedPath(report([before(0.002)], null, HOSTS)), null);
  assert.equal(selectedPath(report([], 'CPL1_R1', HOSTS)), null, 'no pair at all');
  assert.equal(
    selectedPath(report([{ ...before(0.002), nominated: true }], 'CPL9_R9', HOSTS))?.pairId,
    'CPL1_R1',
    'the transport names a pair the report lacks: the nominated one',
  );
  const firefox = report(
    [
      { ...before(0.002), nominated: true },
      { ...after(0.004), selected: true },
    ],
    null,
    HOSTS,
  );
  assert.equal(selectedPath(firefox)?.pairId, 'CPL2_R2', 'no transport word: the pair marked selected first');
  assert.equal(selectedPath(report([before(0.002)], 'CPL1_R1', { R1: 'host' })), null, 'its local candidate is not');
});

test("a reader reports the median of the pair's last three round trips: a lone spike never shows", () => {
  const read = createPathReader();
  const rtts = [0.001, 0.001, 0.012, 0.001, 0.001, 0.015, 0.001].map(
    (rtt) => read(report([before(rtt)], 'CPL1_R1', HOSTS))?.rttMs,
  );
  assert.deepEqual(rtts, [1, 1, 1, 1, 1, 1, 1]);
  assert.equal(read(report([before()], 'CPL1_R1', HOSTS))?.rttMs, 1, 'a reading without a round trip keeps it');
  assert.equal(read(report([], null, HOSTS)), null, 'no path: none');
});

test('after an ICE restart onto a pair of the same types, the new pair’s round trips alone', () => {
  const read = createPathReader();
  for (const rtt of [0.005, 0.005, 0.005]) read(report([before(rtt)], 'CPL1_R1', HOSTS));
  const restarted = read(report([after(0.04)], 'CPL2_R2', HOSTS));
  assert.deepEqual(restarted, { local: 'host', remote: 'host', relayed: false, rttMs: 40 });
  assert.equal(samePath({ local: 'host', remote: 'host', relayed: false, rttMs: 5 }, restarted), false);
  assert.equal(read(report([after(0.041)], 'CPL2_R2', HOSTS))?.rttMs, 40);
});
