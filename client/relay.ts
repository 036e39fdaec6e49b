// Relaying through members (issue 14): when our direct link to a member is down and another
// member links to both of us, our messages go through that member, one hop. Every member
// tells the ones it links to whom it links to (relay:links, with round-trip times); from
// that each member picks, for every member it cannot reach directly, the relay with the
// smallest total round trip, and switches when that relay goes or the direct link comes
// back (member-route.ts: the direct link is preferred whenever it works).
//
// What travels is sealed end to end (announce.ts): a relay sees sizes, not contents, and
// cannot alter, forge, redirect or replay what it carries. What we send through a relay
// waits in a bounded queue per member, paced at the relay's rate and sealed only as it goes
// (relay-outbox.ts, which also passes over a relay that does not deliver); what comes to us
// through one is opened, checked, reported when refused and charged per (author, relay)
// (relay-inbox.ts). This module chooses the routes and is the relay side: it forwards only
// relay:fwd arriving on its own proven links, only to members it links to directly, at most
// `rate` messages a second per pair (after a burst of BURST_SECONDS' worth), and nothing at
// all when the user turned relaying off. Senders pace themselves at the same rate, so an
// honest backlog is not dropped on the way.
//
// Handing a message to a relay is no proof it arrives: the features repair what matters
// (chat-resend.ts resends unacknowledged lines, receipts-relayed.ts read receipts).
import type { ChannelMessage, MessageOf } from '../protocol/index.ts';
import type { Announcement } from './announce.ts';
import { type Bucket, refill } from './budget.ts';
import { createSlot, defineFeature } from './feature.ts';
import type { Member } from './member.ts';
import { createRelayInbox, type Refusal } from './relay-inbox.ts';
import { createRelayOutbox } from './relay-outbox.ts';

/** Messages a second a member relays for one pair of others, by default (a page setting). */
export const RELAY_RATE = 50;
/** A burst allowed on top (a resend after a reconnect), in seconds of the rate. */
const BURST_SECONDS = 2;
/**
 * A sender's own burst through a relay, in seconds of the rate: a second less than the
 * relay's, which leaves the relay's bucket a second of slack for what the network delivers
 * bunched (first messages held back, the next on time). With the same burst on both sides,
 * a sender that used its burst kept the relay's bucket empty, and any such bunching was
 * dropped there as over the rate (then resent by the chat, and shown out of order).
 */
const SENDER_BURST_SECONDS = BURST_SECONDS - 1;
/** Advertisements go out at most this often (and on every change of our direct links). */
const ADVERTISE_MIN_INTERVAL_MS = 1_000;
/** Round trips are compared in steps of this (ms): jitter alone does not re-advertise. */
const RTT_STEP_MS = 10;
/**
 * Another relay takes over a route only when it is faster by at least this much (ms), or by
 * this fraction of the current round trip if that is more: two relays about as fast would
 * otherwise swap on every path poll's jitter, and each swap can reorder what is in flight.
 */
const SWITCH_MARGIN_MS = RTT_STEP_MS;
const SWITCH_MARGIN_FRACTION = 0.2;

export { type Refusal, refusalText } from './relay-inbox.ts';

/** A relay that links to the member a route is for, with the round trip through it. */
interface Candidate {
  relay: Member;
  /** The round trip, or the largest number when it is not known. */
  cost: number;
  rtt: number | null;
  /** It did not deliver our lines to this member lately (DOUBT_MS). */
  doubted: boolean;
}

/** Whether `next` beats the current relay by the switch margin; any known round trip beats an unknown one. */
function clearlyFaster(next: Candidate, current: Candidate): boolean {
  if (current.rtt === null) return next.rtt !== null;
  return next.cost < current.cost - Math.max(SWITCH_MARGIN_MS, current.rtt * SWITCH_MARGIN_FRACTION);
}

/** A better relay than `than`: one not doubted first, then the smaller round trip. */
function better(candidate: Candidate, than: Candidate): boolean {
  if (candidate.doubted !== than.doubted) return !candidate.doubted;
  return candidate.cost < than.cost;
}

interface Reach {
  /** What this member last advertised: the members it links to, with its RTT to each. */
  links: Map<string, number | null>;
  /** The per-pair rate it said it relays at (null: it did not say; ours is assumed). */
  rate: number | null;
}

export interface RelayStats {
  /** Messages we sent through a relay, and received through one. */
  sent: number;
  received: number;
  /** Messages that waited for a relay and were dropped when the route changed (the features resend). */
  unsent: number;
  /** Relayed messages from a member this page no longer listens to (cut, intercepted): dropped. */
  fromHeld: number;
  /** Messages we passed on for others, and dropped for going over the per-pair rate. */
  forwarded: number;
  overRate: number;
  /** Relayed messages refused: did not open (altered), replayed, out of the time window. */
  refused: number;
  /** Relayed messages that opened but were dropped: over their author's budget through that relay. */
  overBudget: number;
}

export interface RelayOptions {
  selfId(): string;
  members(): Iterable<Member>;
  member(id: string): Member | undefined;
  /** The user lets this page relay for others (a setting, on by default). */
  enabled(): boolean;
  /** Messages a second relayed per pair (default RELAY_RATE). */
  rate?: number | undefined;
  announcement: Pick<Announcement, 'seal' | 'open'>;
  /**
   * A message from `from` that came through a relay, opened, and fits `from`'s budget
   * through that relay: to the features. (Not charged to `from`'s own budget: see Quota.)
   */
  deliver(from: Member, message: ChannelMessage): void;
  /** The route to this member has room again (we pace ourselves): features may continue. */
  drained(member: Member): void;
  /**
   * A relayed message said to be from `from`, carried by `via`, was refused: at most once
   * per REFUSED_NOTICE_MS for each (from, via); every refusal is counted in the stats.
   */
  refused(from: Member, via: Member, why: Refusal): void;
  now?: () => number;
  wallClock?: () => number;
}

export function createRelay(options: RelayOptions) {
  const now = options.now ?? (() => performance.now());
  const wallClock = options.wallClock ?? (() => Date.now());
  /** Ours, per pair, for others (the page's setting; setRate changes it). */
  let rate = options.rate ?? RELAY_RATE;
  /** A bucket's rate at `perSecond`: its burst is `seconds` of it (BURST_SECONDS on the relay side). */
  const bucketRate = (perSecond: number, seconds = BURST_SECONDS) => ({
    perSecond,
    burst: Math.max(1, perSecond * seconds),
  });
  const reachSlot = createSlot<Reach>('relay', () => ({ links: new Map(), rate: null }));
  /** The relay side: one bucket per (from, to) pair we pass messages on for. */
  const pairs = new Map<string, Bucket>();
  const stats: RelayStats = {
    sent: 0,
    received: 0,
    unsent: 0,
    fromHeld: 0,
    forwarded: 0,
    overRate: 0,
    refused: 0,
    overBudget: 0,
  };
  /** What comes to us through relays (relay-inbox.ts), counted in our stats. */
  const inbox = createRelayInbox({
    selfId: options.selfId,
    member: options.member,
    announcement: options.announcement,
    direct: (m) => direct(m),
    deliver: options.deliver,
    refused: options.refused,
    // Its acks say our lines arrived: the relay that carried them delivers.
    acknowledged: (author, ids) => outbox.acknowledged(author, ids),
    counts: stats,
    now,
    wallClock,
  });
  let lastAdvertised = '';
  let lastAdvertisedAt = Number.NEGATIVE_INFINITY;
  let advertiseTimer: ReturnType<typeof setTimeout> | null = null;
  /** Members whose links opened since our last advertisement: they get the next one. */
  const owed = new Set<Member>();
  let stopped = false;

  /** A direct link that proved the room key (and, with crypto, both sides can prove). */
  const direct = (m: Member): boolean => !m.disposed && m.link.open && m.verification === 'verified';

  /** What we send through relays (relay-outbox.ts), counted in our stats. */
  const outbox = createRelayOutbox({
    selfId: options.selfId,
    member: options.member,
    announcement: options.announcement,
    direct,
    // Ours, or the relay's own rate if that is lower.
    paceThrough: (relay) => Math.min(rate, relay.slot(reachSlot).rate ?? rate),
    bucketRate: (perSecond) => bucketRate(perSecond, SENDER_BURST_SECONDS),
    rate: () => rate,
    drained: options.drained,
    doubted: () => refresh(),
    stopped: () => stopped,
    counts: stats,
    now,
  });

  function ourLinks(): MessageOf<'relay:links'>['peers'] {
    if (!options.enabled()) return [];
    return [...options.members()]
      .filter((m) => direct(m) && m.announced !== null)
      .map((m) => ({ id: m.id, rtt: m.rttMs === null ? null : Math.round(m.rttMs) }));
  }

  /** Sends our links to these members (those we link to directly). */
  function sendLinks(to: Iterable<Member>): void {
    const peers = ourLinks();
    for (const member of to) if (direct(member)) member.send({ t: 'relay:links', peers, rate });
  }

  const summary = (): string =>
    `${rate}|${ourLinks()
      .map((p) => `${p.id}:${p.rtt === null ? '' : Math.round(p.rtt / RTT_STEP_MS)}`)
      .sort()
      .join(',')}`;

  /**
   * Our direct links changed, or a member's link opened: tell everyone, or that member, at
   * most once per ADVERTISE_MIN_INTERVAL_MS. (A member whose link just opened was told at
   * once and again with the advertisement its link caused: in a room of eight forming at
   * once, 117 relay:links where 60 say the same.)
   */
  function advertise(): void {
    if (stopped || advertiseTimer !== null || (summary() === lastAdvertised && owed.size === 0)) return;
    const send = () => {
      advertiseTimer = null;
      const current = summary();
      if (current !== lastAdvertised) {
        lastAdvertised = current;
        lastAdvertisedAt = now();
        sendLinks(options.members());
      } else sendLinks(owed);
      owed.clear();
    };
    const wait = lastAdvertisedAt + ADVERTISE_MIN_INTERVAL_MS - now();
    if (wait > 0) advertiseTimer = setTimeout(send, wait);
    else send();
  }

  /**
   * For every member we cannot reach directly: the relay with the smallest round trip (ours
   * to it plus its own onward), kept while no other is clearly faster; a relay that did not
   * deliver to the member lately only when no other links to it.
   */
  function reroute(): void {
    const all = [...options.members()];
    const at = now();
    for (const target of all) {
      if (target.disposed) continue;
      // Not while the direct link is first forming: it will carry the traffic itself, and
      // lines sent through a relay then would race the member's own proof. Once it failed,
      // or dropped after working (ICE restart under way), a relay carries it meanwhile.
      if (target.link.open || target.announced === null || target.state === 'connecting') {
        outbox.setVia(target, null);
        target.setRoute(null);
        continue;
      }
      const via = outbox.via(target);
      let best: Candidate | null = null;
      let current: Candidate | null = null;
      for (const relay of all) {
        if (relay === target || !direct(relay)) continue;
        const links = relay.slot(reachSlot).links;
        if (!links.has(target.id)) continue;
        const there = relay.rttMs;
        const onward = links.get(target.id) ?? null;
        const rtt = there !== null && onward !== null ? Math.round(there + onward) : null;
        // Unknown round trips sort last but still count as a route.
        const doubted = outbox.doubts(target, relay.id, at);
        const candidate = { relay, cost: rtt ?? Number.MAX_SAFE_INTEGER, rtt, doubted };
        if (relay.id === via) current = candidate;
        if (!best || better(candidate, best)) best = candidate;
      }
      const keep = current && best && current.doubted === best.doubted && !clearlyFaster(best, current);
      const chosen = keep ? current : best;
      outbox.setVia(target, chosen?.relay.id ?? null);
      target.setRoute(chosen ? outbox.route(chosen.relay, target, chosen.rtt) : null);
    }
  }

  /** The relay side's fair share: false when this pair is over its rate. */
  function take(pair: string): boolean {
    const bucket = pairs.get(pair) ?? { tokens: bucketRate(rate).burst, at: now() };
    refill(bucket, bucketRate(rate), now());
    pairs.set(pair, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  function forward(from: Member, message: MessageOf<'relay:fwd'>): void {
    if (!options.enabled() || !direct(from)) return;
    const target = options.member(message.to);
    if (!target || target === from || !direct(target)) return;
    if (!take(`${from.id}>${target.id}`)) {
      stats.overRate++;
      return;
    }
    if (target.send({ t: 'relay:deliver', from: from.id, sealed: message.sealed })) stats.forwarded++;
  }

  const feature = defineFeature({
    name: 'relay',
    types: ['relay:links', 'relay:fwd', 'relay:deliver'],
    opened(handle) {
      // A member whose link just opened gets our links with our next advertisement, whatever
      // the others heard (one that its own link may cause anyway).
      const member = options.member(handle.id);
      if (member && direct(member)) owed.add(member);
      refresh();
    },
    verified: () => refresh(),
    drained(handle) {
      // A relay's channel has room again: what waits for the members we reach through it
      // goes on (member.ts tells only the member whose channel it is).
      const relay = options.member(handle.id);
      if (!relay || !direct(relay)) return;
      outbox.drainedThrough(relay, options.members());
    },
    removed(member) {
      for (const pair of [...pairs.keys()]) if (pair.split('>').includes(member.id)) pairs.delete(pair);
      outbox.removed(member, options.members());
      inbox.forgetRelay(member.id, options.members());
      refresh();
    },
    receive(handle, message) {
      const member = options.member(handle.id);
      if (!member) return;
      switch (message.t) {
        case 'relay:links': {
          const reach = member.slot(reachSlot);
          reach.rate = message.rate ?? null;
          const links = reach.links;
          links.clear();
          for (const peer of message.peers) if (peer.id !== member.id) links.set(peer.id, peer.rtt);
          refresh();
          return;
        }
        case 'relay:fwd':
          forward(member, message);
          return;
        case 'relay:deliver':
          inbox.receive(member, message);
          return;
      }
    },
  });

  let refreshing = false;
  /** Links changed (opened, closed, proven, RTT): re-advertise and re-route. */
  function refresh(): void {
    // Re-routing changes member entries, which calls back here: once is enough.
    if (refreshing) return;
    refreshing = true;
    try {
      advertise();
      reroute();
    } finally {
      refreshing = false;
    }
  }

  return {
    feature,
    refresh,
    /** A new per-pair rate from the page's settings: kept from now on and told to everyone. */
    setRate(perSecond: number): void {
      rate = perSecond;
      refresh();
    },
    stats: (): RelayStats => ({ ...stats }),
    stop(): void {
      stopped = true;
      owed.clear();
      if (advertiseTimer !== null) clearTimeout(advertiseTimer);
      advertiseTimer = null;
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
