// Relaying through members (issue 14): when our direct link to a member is down and another
// member links to both of us, our messages go through that member, one hop. Every member
// tells the ones it links to whom it links to (relay:links, with round-trip times); from
// that each member picks, for every member it cannot reach directly, the relay with the
// smallest total round trip, and switches when that relay goes or the direct link comes
// back (member.ts prefers the direct link whenever it works).
//
// What travels is sealed end to end (announce.ts): a relay sees sizes, not contents, and
// cannot alter, forge, redirect or replay what it carries; a message that does not open is
// refused and reported (once in a while per author and relay: which of the two spoilt it, we
// cannot tell; what comes to us is opened, checked and charged in relay-inbox.ts). A member whose direct link to us works is not reported for what fails to
// open through a relay (an honest member sends on its own link, so that is junk, maybe sent
// to get a relay blamed); what does open is delivered all the same: each side notices a dead
// link on its own clock, and the author's resends through a relay, in the second or so
// before we notice, are the lines written while the link was dying. What a relay does is bounded: it forwards only relay:fwd arriving
// on its own proven links, only to members it links to directly, at most `rate` messages a
// second per pair (after a burst of BURST_SECONDS' worth), and nothing at all when the user turned relaying off. Senders pace
// themselves at the same rate, so an honest backlog is not dropped on the way: everything
// for a member reached through a relay (acks, receipts and typing too, which do not wait for
// room) waits in a bounded queue per member for its share of the rate and for room in the
// relay's channel, and is sealed only as it goes. What comes
// through a relay is charged per (author, relay) and the excess dropped: a relay decides when
// it delivers, so it must not be able to get an author muted or cut (budget.ts, Quota).
//
// Handing a message to a relay is no proof it arrives: the features repair what matters
// (chat.ts resends unacknowledged lines, receipts.ts read receipts). A relay is judged by
// what it carries: our chat line handed to it again (the chat's resend) when it went through
// it DOUBT_AFTER_MS before and no ack came means the relay does not deliver to that member,
// and for DOUBT_MS any other relay is preferred for it, whatever round trip it claims.
import {
  type ChannelMessage,
  encodeChannelMessage,
  MAX_SEALED_LENGTH,
  type MessageOf,
  RELAYABLE_TYPES,
} from '../protocol/index.ts';
import { type Announcement, sealedLength } from './announce.ts';
import { type Bucket, refill } from './budget.ts';
import { createSlot, defineFeature } from './feature.ts';
import type { Member, RelayRoute } from './member.ts';
import { createRelayInbox, type Refusal } from './relay-inbox.ts';

/** Messages a second a member relays for one pair of others, by default (a page setting). */
export const RELAY_RATE = 50;
/** A burst allowed on top (a resend after a reconnect), in seconds of the rate. */
const BURST_SECONDS = 2;
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
/**
 * What waits to go through a relay for one member, at most, in seconds of the pace through
 * it (and never fewer than MIN_QUEUED messages): past it the route refuses more (false), and
 * the features keep what they could not send. The chat and history wait for room before they
 * send; this holds what does not (acks, receipts, typing, a reaction resync).
 */
const QUEUE_SECONDS = 10;
const MIN_QUEUED = 32;
/** A relay's channel refused a message (closing, or full): the queue tries again this soon. */
const SEND_RETRY_MS = 250;
/**
 * Our chat line handed again to the relay it went through at least this long before, with no
 * ack since: the relay does not deliver to that member (chat.ts resends after RESEND_FIRST_MS,
 * longer than this; a repair right after a route reopens is quicker, and not counted).
 */
const DOUBT_AFTER_MS = 2_000;
/** A relay that did not deliver to a member is passed over for it this long, if another links to it. */
const DOUBT_MS = 120_000;
/** Lines remembered per member as handed to its current relay (beyond: the oldest forgotten). */
const CARRIED_LIMIT = 4_096;

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

interface Ends {
  /**
   * Our messages to this member waiting for the relay (pieces, in order): sealed one at a
   * time as each goes. Dropped when the route changes: the features resend on the new one.
   */
  queue: ChannelMessage[];
  /** Bumped when the queue is dropped: a piece being sealed then is dropped with it. */
  generation: number;
  /** The queue is being worked on (one piece sealed at a time, in order). */
  pumping: boolean;
  /** Our chat lines handed to the current relay and not acknowledged: when each first went. */
  carried: Map<string, number>;
  /** Relays that did not deliver to this member, by id, until when they are passed over. */
  doubted: Map<string, number>;
  /** Sender-side pacing toward this member. */
  bucket: Bucket;
  /** Wakes the queue (and the features) when the bucket has room, or after a refused send. */
  drainTimer: ReturnType<typeof setTimeout> | null;
  /** The relay our route to this member goes through (null: none). */
  via: string | null;
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
  /** A bucket's rate at `perSecond`: its burst is BURST_SECONDS of it. */
  const bucketRate = (perSecond: number) => ({ perSecond, burst: Math.max(1, perSecond * BURST_SECONDS) });
  const reachSlot = createSlot<Reach>('relay', () => ({ links: new Map(), rate: null }));
  const endsSlot = createSlot<Ends>('relay-ends', () => ({
    queue: [],
    generation: 0,
    pumping: false,
    carried: new Map(),
    doubted: new Map(),
    bucket: { tokens: bucketRate(rate).burst, at: now() },
    drainTimer: null,
    via: null,
  }));
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
    acknowledged(author, ids) {
      const { carried } = author.slot(endsSlot);
      for (const id of ids) carried.delete(id);
    },
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

  const refillAt = (bucket: Bucket, perSecond = rate): void => refill(bucket, bucketRate(perSecond), now());

  /** The pace of our messages through this relay: ours, or its own rate if that is lower. */
  const paceThrough = (relay: Member): number => Math.min(rate, relay.slot(reachSlot).rate ?? rate);

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
   * One message as it goes sealed: history answers too big for one envelope are split, each
   * piece keeping the rest of the chunk's fields (the request number it answers).
   */
  function pieces(message: ChannelMessage): ChannelMessage[] {
    if (sealedLength(encodeChannelMessage(message)) <= MAX_SEALED_LENGTH) return [message];
    if (message.t !== 'history:lines' || message.lines.length < 2) return []; // cannot go: dropped
    const half = Math.ceil(message.lines.length / 2);
    return [
      ...pieces({ ...message, lines: message.lines.slice(0, half), done: false }),
      ...pieces({ ...message, lines: message.lines.slice(half) }),
    ];
  }

  /** How many messages may wait for the relay for one member (QUEUE_SECONDS). */
  const queueLimit = (perSecond: number): number => Math.max(MIN_QUEUED, Math.ceil(perSecond * QUEUE_SECONDS));

  /** The relay our route to this member goes through, if it still links to us directly. */
  function relayOf(ends: Ends): Member | null {
    const relay = ends.via === null ? undefined : options.member(ends.via);
    return relay && direct(relay) ? relay : null;
  }

  /**
   * The route to this member goes through another relay now (or none): what waited for the
   * old one is dropped, since the features hear the route open and resend what matters on the
   * new one (chat lines, read receipts, a reaction resync); a copy would only cost the new
   * relay's rate. What the old relay carried says nothing of the new one.
   */
  function setVia(ends: Ends, via: string | null): void {
    if (ends.via === via) return;
    ends.via = via;
    stats.unsent += ends.queue.length;
    ends.queue = [];
    ends.generation++;
    ends.carried.clear();
  }

  /** Calls `wake` for this member in `ms` (once: a later call while it is set does nothing). */
  function scheduleWake(target: Member, ends: Ends, ms: number): void {
    if (ends.drainTimer !== null) return;
    ends.drainTimer = setTimeout(() => {
      ends.drainTimer = null;
      wake(target);
    }, ms);
  }

  /** Room again (tokens, the relay's channel, a retry): the queue goes on, then the features. */
  function wake(target: Member): void {
    if (target.disposed) return;
    void pump(target);
    // The features only when there is room beyond what still waits: theirs would queue behind it.
    if (target.writable) options.drained(target);
  }

  /** How long until `tokens` (below 1) refill to one at `pace` a second (ms; 10 at least). */
  const untilToken = (tokens: number, pace: number): number => Math.max(10, ((1 - tokens) / pace) * 1000);

  /** Tokens left for this member once what waits is counted. */
  function room(ends: Ends, pace: number): number {
    refillAt(ends.bucket, pace);
    return ends.bucket.tokens - ends.queue.length;
  }

  /** Our line went through this relay again, unacknowledged: doubted if it had its chance. */
  function judge(target: Member, ends: Ends, relay: Member, piece: ChannelMessage): void {
    if (piece.t !== 'chat') return;
    const at = now();
    const first = ends.carried.get(piece.id);
    if (first === undefined) {
      ends.carried.set(piece.id, at);
      if (ends.carried.size > CARRIED_LIMIT) {
        const [oldest] = ends.carried.keys();
        if (oldest !== undefined) ends.carried.delete(oldest);
      }
      return;
    }
    if (at - first < DOUBT_AFTER_MS || (ends.doubted.get(relay.id) ?? Number.NEGATIVE_INFINITY) > at) return;
    ends.doubted.set(relay.id, at + DOUBT_MS);
    ends.carried.clear();
    // Another relay that links to the member takes the route (none: this one keeps it).
    if (!target.disposed) refresh();
  }

  /**
   * Sends what waits for this member through its relay, in order, one piece sealed at a time,
   * each when the pace allows it and the relay's channel has room; stops (and is woken again)
   * when either has none. Never into debt: the relay drops what is over its per-pair rate.
   */
  async function pump(target: Member): Promise<void> {
    const ends = target.slot(endsSlot);
    if (ends.pumping) return; // the running pump takes what was added
    ends.pumping = true;
    try {
      while (ends.queue.length > 0 && !target.disposed && !stopped) {
        const relay = relayOf(ends);
        const keys = target.announced;
        // The relay's channel is full: its drain wakes us (the feature's `drained`).
        if (relay !== null && keys !== null && !relay.writable) return;
        // No relay now, or the member's announced keys are being checked again (a new
        // announcement): a reroute drops the queue, or nothing changes and we try again.
        if (relay === null || keys === null) {
          scheduleWake(target, ends, SEND_RETRY_MS);
          return;
        }
        const pace = paceThrough(relay);
        refillAt(ends.bucket, pace);
        if (ends.bucket.tokens < 1) {
          scheduleWake(target, ends, untilToken(ends.bucket.tokens, pace));
          return;
        }
        const piece = ends.queue.shift();
        if (piece === undefined) return;
        ends.bucket.tokens -= 1;
        const generation = ends.generation;
        const sealed = await options.announcement
          .seal(options.selfId(), target.id, keys, encodeChannelMessage(piece))
          .catch(() => null);
        // The route changed meanwhile (the queue went, and this with it), or nothing seals here.
        if (generation !== ends.generation || sealed === null) {
          stats.unsent++;
          continue;
        }
        judge(target, ends, relay, piece);
        // The relay was just doubted and another took the route: the chat resends it there.
        if (generation !== ends.generation) {
          stats.unsent++;
          continue;
        }
        if (direct(relay) && relay.send({ t: 'relay:fwd', to: target.id, sealed })) {
          stats.sent++;
          continue;
        }
        // Not taken: first again, and its token back. The relay's drain, a reroute or this
        // retry goes on with it.
        ends.queue.unshift(piece);
        ends.bucket.tokens += 1;
        scheduleWake(target, ends, SEND_RETRY_MS);
        return;
      }
    } finally {
      ends.pumping = false;
    }
  }

  function routeVia(relay: Member, target: Member, rttMs: number | null): RelayRoute {
    const ends = target.slot(endsSlot);
    return {
      relayId: relay.id,
      relayName: relay.name,
      rttMs,
      get writable() {
        if (!direct(relay) || !relay.writable) return false;
        const pace = paceThrough(relay);
        const left = room(ends, pace);
        if (left >= 1) return true;
        scheduleWake(target, ends, untilToken(left, pace));
        return false;
      },
      send(message) {
        // One hop, end-to-end messages only: never link-level, relay, file or call messages.
        if (!RELAYABLE_TYPES.has(message.t) || !direct(relay) || target.announced === null) return false;
        // The relay counts every piece it passes on: so do we (a split history answer).
        const parts = pieces(message);
        if (parts.length === 0 || ends.queue.length + parts.length > queueLimit(paceThrough(relay))) return false;
        ends.queue.push(...parts);
        void pump(target);
        return true;
      },
    };
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
      const ends = target.slot(endsSlot);
      // Not while the direct link is first forming: it will carry the traffic itself, and
      // lines sent through a relay then would race the member's own proof. Once it failed,
      // or dropped after working (ICE restart under way), a relay carries it meanwhile.
      if (target.link.open || target.announced === null || target.state === 'connecting') {
        setVia(ends, null);
        target.setRoute(null);
        continue;
      }
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
        const doubted = (ends.doubted.get(relay.id) ?? Number.NEGATIVE_INFINITY) > at;
        const candidate = { relay, cost: rtt ?? Number.MAX_SAFE_INTEGER, rtt, doubted };
        if (relay.id === ends.via) current = candidate;
        if (!best || better(candidate, best)) best = candidate;
      }
      const keep = current && best && current.doubted === best.doubted && !clearlyFaster(best, current);
      const chosen = keep ? current : best;
      setVia(ends, chosen?.relay.id ?? null);
      target.setRoute(chosen ? routeVia(chosen.relay, target, chosen.rtt) : null);
    }
  }

  /** The relay side's fair share: false when this pair is over its rate. */
  function take(pair: string): boolean {
    const bucket = pairs.get(pair) ?? { tokens: bucketRate(rate).burst, at: now() };
    refillAt(bucket);
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
      for (const target of options.members()) {
        if (target !== relay && !target.disposed && target.slot(endsSlot).via === relay.id) wake(target);
      }
    },
    removed(member) {
      for (const pair of [...pairs.keys()]) if (pair.split('>').includes(member.id)) pairs.delete(pair);
      for (const other of options.members()) other.slot(endsSlot).doubted.delete(member.id);
      inbox.forgetRelay(member.id, options.members());
      const ends = member.slot(endsSlot);
      if (ends.drainTimer !== null) clearTimeout(ends.drainTimer);
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
