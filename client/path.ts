// What kind of path a link takes (direct, through a STUN-found address, through TURN) and its
// round trip, read from the connection's stats. The member list shows it and the relay
// compares it (relay-route.ts); it is polled (path-polls.ts), so a reading that changes nothing
// must say so (samePath) and a lone odd round trip must not show (round-trip.ts).
import { createRoundTripFilter, sameRoundTrip } from './round-trip.ts';

export interface PathInfo {
  local: string;
  remote: string;
  relayed: boolean;
  /**
   * In whole ms: what the member list shows and the relay compares (it steps by 10). From
   * a path reader, the median of the link's last readings on its current pair (round-trip.ts).
   */
  rttMs: number | null;
}

/** The selected pair's path, its latest round trip as read, and the pair's stats id. */
export interface SelectedPath extends PathInfo {
  /**
   * Names one pair of candidates: another pair (an ICE restart gathers new candidates, or
   * the agent switches pairs) has another id, even between candidates of the same types.
   */
  pairId: string;
}

/**
 * Whether a new reading of a path differs from the one kept (`kept`) in anything worth
 * showing or using. A poll that changes nothing redraws nothing, and tells no member of a
 * new round trip (round-trip.ts says when one has moved).
 */
export function samePath(kept: PathInfo | null, read: PathInfo | null): boolean {
  if (kept === null || read === null) return kept === read;
  return (
    kept.local === read.local &&
    kept.remote === read.remote &&
    kept.relayed === read.relayed &&
    sameRoundTrip(kept.rttMs, read.rttMs)
  );
}

interface StatsEntry {
  type: string;
  [key: string]: unknown;
}

/** The candidate pair the ICE agent is using, and what kind of path that is. */
export function selectedPath(report: RTCStatsReport): SelectedPath | null {
  const entries = new Map<string, StatsEntry>();
  report.forEach((entry: StatsEntry & { id: string }) => {
    entries.set(entry.id, entry);
  });
  let pairId: string | undefined;
  for (const entry of entries.values()) {
    if (entry.type === 'transport' && typeof entry.selectedCandidatePairId === 'string') {
      pairId = entry.selectedCandidatePairId;
    }
  }
  // Without the transport's word (Firefox has no transport stats; a report can lack the
  // pair it names): the pair marked selected, else the first nominated one that succeeded.
  if (pairId === undefined || !entries.has(pairId)) {
    const pairs = [...entries].filter(([, e]) => e.type === 'candidate-pair');
    pairId = (pairs.find(([, e]) => e.selected === true) ??
      pairs.find(([, e]) => e.nominated === true && e.state === 'succeeded'))?.[0];
  }
  const pair = pairId === undefined ? undefined : entries.get(pairId);
  if (pairId === undefined || !pair) return null;
  const local = entries.get(String(pair.localCandidateId));
  const remote = entries.get(String(pair.remoteCandidateId));
  if (!local || !remote) return null;
  const localType = String(local.candidateType);
  const remoteType = String(remote.candidateType);
  const rtt = pair.currentRoundTripTime;
  return {
    local: localType,
    remote: remoteType,
    relayed: localType === 'relay' || remoteType === 'relay',
    rttMs: typeof rtt === 'number' ? Math.round(rtt * 1000) : null,
    pairId,
  };
}

/**
 * Reads one link's path from its stats, again and again: the round trip reported is the
 * median of the latest readings on the same pair of candidates, so readings of the pair
 * before an ICE restart or a switch are never mixed into the new pair's.
 */
export function createPathReader(): (report: RTCStatsReport) => PathInfo | null {
  const roundTrips = createRoundTripFilter();
  return (report) => {
    const read = selectedPath(report);
    if (read === null) return null;
    const { pairId, ...path } = read;
    return { ...path, rttMs: roundTrips.add(read.rttMs, pairId) };
  };
}
