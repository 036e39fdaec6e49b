// The relay side: what others hand us for a member we link to (relay:fwd) goes on to it
// (relay:deliver), sealed as it came. Only relay:fwd arriving on our own proven links, only to
// members we link to directly, at most `rate` messages a second per pair (after a burst of
// BURST_SECONDS' worth, relay-rate.ts), and nothing at all when the user turned relaying off.
// One owner for the per-pair buckets: this module, by (from, to).
import type { MessageOf } from '../protocol/index.ts';
import { type Bucket, refill } from './budget.ts';
import type { MemberHandle } from './feature.ts';
import type { Member } from './member.ts';
import { bucketRate } from './relay-rate.ts';

/** What forwarding counts, in the relay's stats. */
export interface ForwardCounts {
  /** Messages we passed on for others, and dropped for going over the per-pair rate. */
  forwarded: number;
  overRate: number;
}

export interface ForwardOptions {
  member(id: string): Member | undefined;
  /** The user lets this page relay for others (a setting, on by default). */
  enabled(): boolean;
  /** A direct link that proved the room key (relay.ts). */
  direct(member: Member): boolean;
  /** Ours, per pair, for others (the page's setting). */
  rate(): number;
  counts: ForwardCounts;
  now(): number;
}

export function createRelayForwarding(options: ForwardOptions) {
  const { now, direct, counts } = options;
  /** One bucket per (from, to) pair we pass messages on for. */
  const pairs = new Map<string, Bucket>();

  /** The relay side's fair share: false when this pair is over its rate. */
  function take(pair: string): boolean {
    const rate = options.rate();
    const bucket = pairs.get(pair) ?? { tokens: bucketRate(rate).burst, at: now() };
    refill(bucket, bucketRate(rate), now());
    pairs.set(pair, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  return {
    forward(from: Member, message: MessageOf<'relay:fwd'>): void {
      if (!options.enabled() || !direct(from)) return;
      const target = options.member(message.to);
      if (!target || target === from || !direct(target)) return;
      if (!take(`${from.id}>${target.id}`)) {
        counts.overRate++;
        return;
      }
      if (target.send({ t: 'relay:deliver', from: from.id, sealed: message.sealed })) counts.forwarded++;
    },
    /** A member left: the pairs it was in go with it. */
    removed(member: MemberHandle): void {
      for (const pair of [...pairs.keys()]) if (pair.split('>').includes(member.id)) pairs.delete(pair);
    },
  };
}
