// Exact signal accounting for the signaling benchmark. Every signal a bot sends carries a
// tag (round, the sender's node, the sender's sequence number) inside its SDP or candidate
// string, which the server relays opaque. Senders count what they send, receivers count
// distinct tags; with refusals counted where the server answers them, whatever is left is
// lost — not "late", not "re-offered", lost.

/** What a signal says about itself. `seq` is unique in the sending process, so (from, seq) is unique. */
export interface SignalTag {
  readonly round: number;
  readonly node: number;
  readonly seq: number;
}

const TAG_PATTERN = /x-bench-signal[: ](\d+)\.(\d+)\.(\d+)/;

export const formatTag = (tag: SignalTag): string => `${tag.round}.${tag.node}.${tag.seq}`;

/** The tag in an SDP or candidate string; null when there is none. */
export function readTag(text: string): SignalTag | null {
  const match = TAG_PATTERN.exec(text);
  if (!match) return null;
  return { round: Number(match[1]), node: Number(match[2]), seq: Number(match[3]) };
}

/** Signals sent and received (distinct) between two nodes, keyed `from>to`. */
export type HopCounts = Record<string, { sent: number; received: number }>;

/** One round's counts in one bot process; counts of several processes add up (mergeCounts). */
export interface SignalCounts {
  sent: number;
  /** Distinct signals received before the round's stall deadline. */
  inTime: number;
  /** Distinct signals received after it (during the grace). */
  late: number;
  /** Refused by the server: 'error' events the senders got (the server answers each refusal). */
  refused: number;
  /** Deliveries of a signal already received. */
  duplicates: number;
  /** Signals of an earlier round that arrived in this one (that round counted them lost). */
  stray: number;
  /** Signals without a readable tag (none of ours should be). */
  untagged: number;
  /** Connections closed without the bench asking, by Socket.IO's reason ('ping timeout', 'transport close', …). */
  disconnects: Record<string, number>;
  hops: HopCounts;
}

export const emptyCounts = (): SignalCounts => ({
  sent: 0,
  inTime: 0,
  late: 0,
  refused: 0,
  duplicates: 0,
  stray: 0,
  untagged: 0,
  disconnects: {},
  hops: {},
});

/** Adds two tables of counts key by key. */
export function addByKey(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a };
  for (const [key, n] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + n;
  return sum;
}

export function mergeCounts(a: SignalCounts, b: SignalCounts): SignalCounts {
  const hops: HopCounts = {};
  for (const source of [a.hops, b.hops]) {
    for (const [hop, c] of Object.entries(source)) {
      const sum = hops[hop] ?? { sent: 0, received: 0 };
      hops[hop] = { sent: sum.sent + c.sent, received: sum.received + c.received };
    }
  }
  return {
    sent: a.sent + b.sent,
    inTime: a.inTime + b.inTime,
    late: a.late + b.late,
    refused: a.refused + b.refused,
    duplicates: a.duplicates + b.duplicates,
    stray: a.stray + b.stray,
    untagged: a.untagged + b.untagged,
    disconnects: addByKey(a.disconnects, b.disconnects),
    hops,
  };
}

/** Sent and neither received (in time or late) nor refused. */
export const lostOf = (c: SignalCounts): number => c.sent - c.inTime - c.late - c.refused;

/** Changes whenever anything is sent, received or refused: the grace waits for it to stand still. */
export const activityOf = (c: SignalCounts): number =>
  c.sent + c.inTime + c.late + c.refused + c.duplicates + c.stray + c.untagged;

/** What a delivery was: the first of its signal this round, or not counted as received. */
export type Delivery = 'new' | 'duplicate' | 'stray' | 'untagged';

export interface Tally {
  /** Starts counting a new round from zero; returns its number. */
  startRound(): number;
  /** The tag for the next signal a bot on `fromNode` sends to a bot on `toNode`. */
  sent(fromNode: number, toNode: number): SignalTag;
  /** A delivery to a bot on `toNode`: from the peer id `from`, with the tag it carried. */
  received(from: string, tag: SignalTag | null, toNode: number): Delivery;
  refused(): void;
  disconnected(reason: string): void;
  /** From now on, this round's signals count as late. */
  markDeadline(): void;
  counts(): SignalCounts;
}

export function createTally(): Tally {
  let round = 0;
  let nextSeq = 0;
  let counts = emptyCounts();
  let pastDeadline = false;
  /** `${from}:${seq}` of every signal received this round. */
  let seen = new Set<string>();

  const hop = (fromNode: number, toNode: number) => {
    const key = `${fromNode}>${toNode}`;
    const entry = counts.hops[key] ?? { sent: 0, received: 0 };
    counts.hops[key] = entry;
    return entry;
  };

  return {
    startRound() {
      round++;
      counts = emptyCounts();
      pastDeadline = false;
      seen = new Set();
      return round;
    },
    sent(fromNode, toNode) {
      counts.sent++;
      hop(fromNode, toNode).sent++;
      return { round, node: fromNode, seq: nextSeq++ };
    },
    received(from, tag, toNode) {
      if (tag === null) {
        counts.untagged++;
        return 'untagged';
      }
      if (tag.round !== round) {
        counts.stray++;
        return 'stray';
      }
      const key = `${from}:${tag.seq}`;
      if (seen.has(key)) {
        counts.duplicates++;
        return 'duplicate';
      }
      seen.add(key);
      if (pastDeadline) counts.late++;
      else counts.inTime++;
      hop(tag.node, toNode).received++;
      return 'new';
    },
    refused() {
      counts.refused++;
    },
    disconnected(reason) {
      counts.disconnects[reason] = (counts.disconnects[reason] ?? 0) + 1;
    },
    markDeadline() {
      pastDeadline = true;
    },
    counts: () => structuredClone(counts),
  };
}
