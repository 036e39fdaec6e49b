// What we send through a relay, as relay-route.ts routes it: for each member we reach through
// another, a bounded queue (chat lines, history, and what does not wait for room: acks,
// receipts, typing, a reaction resync) that goes out paced at the relay's rate and as its
// channel has room, each message sealed to the member (announce.ts) only as it goes, so a
// refused send loses nothing and a reroute drops what waited (the features resend on the new
// route). It also judges the relay by what it carries: our chat line handed to it again (the
// chat's resend) DOUBT_AFTER_MS after it went, with no ack since, means the relay does not
// deliver to that member. One owner for this per-member state: a slot of its own on the
// member object.
import {
  type ChannelMessage,
  editAckId,
  encodeChannelMessage,
  MAX_SEALED_LENGTH,
  RELAYABLE_TYPES,
} from '../protocol/index.ts';
import { type Announcement, sealedLength } from './announce.ts';
import { dropOldest } from './bounded.ts';
import { type Bucket, refill } from './budget.ts';
import { createSlot, type MemberHandle } from './feature.ts';
import { acksEdits } from './features/edits-own.ts';
import type { Member, RelayRoute } from './member.ts';

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
 * ack since: the relay does not deliver to that member (chat-resend.ts resends after
 * RESEND_FIRST_MS, longer than this; a repair right after a route reopens is quicker, and not
 * counted).
 */
const DOUBT_AFTER_MS = 2_000;
/** A relay that did not deliver to a member is passed over for it this long, if another links to it. */
const DOUBT_MS = 120_000;
/** Lines remembered per member as handed to its current relay (beyond: the oldest forgotten). */
const CARRIED_LIMIT = 4_096;

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
  /** Our chat lines and edits handed to the current relay and not acknowledged (by the id acks name them by): when each first went. */
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

/** What the outbox counts, in the relay's stats. */
export interface OutboxCounts {
  /** Messages we sent through a relay. */
  sent: number;
  /** Messages that waited for a relay and were dropped when the route changed (the features resend). */
  unsent: number;
}

export interface OutboxOptions {
  selfId(): string;
  member(id: string): Member | undefined;
  announcement: Pick<Announcement, 'seal'>;
  /** A direct link that proved the room key (relay.ts). */
  direct(member: Member): boolean;
  /** Messages a second our messages go at through this relay (ours, or its own if lower). */
  paceThrough(relay: Member): number;
  /** The pacing of `perSecond`, with its burst (relay-rate.ts: a second less than the relay side's). */
  bucketRate(perSecond: number): { perSecond: number; burst: number };
  /** The pace a new member's bucket starts full at (our rate). */
  rate(): number;
  /** The route to this member has room again (we pace ourselves): features may continue. */
  drained(member: Member): void;
  /** A relay did not deliver to this member: its route is to be chosen again. */
  doubted(member: Member): void;
  /** relay.ts stopped: nothing more goes. */
  stopped(): boolean;
  counts: OutboxCounts;
  now(): number;
}

export function createRelayOutbox(options: OutboxOptions) {
  const { now, counts } = options;
  const endsSlot = createSlot<Ends>('relay-ends', () => ({
    queue: [],
    generation: 0,
    pumping: false,
    carried: new Map(),
    doubted: new Map(),
    bucket: { tokens: options.bucketRate(options.rate()).burst, at: now() },
    drainTimer: null,
    via: null,
  }));

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

  const refillAt = (bucket: Bucket, perSecond: number): void => refill(bucket, options.bucketRate(perSecond), now());

  /** The relay our route to this member goes through, if it still links to us directly. */
  function relayOf(ends: Ends): Member | null {
    const relay = ends.via === null ? undefined : options.member(ends.via);
    return relay && options.direct(relay) ? relay : null;
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

  /** The id the member's ack names this by, if we await one: our line's, or our edit's (if it acknowledges edits). */
  function ackedAs(target: Member, piece: ChannelMessage): string | null {
    if (piece.t === 'chat') return piece.id;
    if (piece.t === 'chat:edit' && acksEdits(target)) return editAckId(piece);
    return null;
  }

  /** Our line or edit went through this relay again, unacknowledged: doubted if it had its chance. */
  function judge(target: Member, ends: Ends, relay: Member, piece: ChannelMessage): void {
    const id = ackedAs(target, piece);
    if (id === null) return;
    const at = now();
    const first = ends.carried.get(id);
    if (first === undefined) {
      ends.carried.set(id, at);
      dropOldest(ends.carried, CARRIED_LIMIT);
      return;
    }
    if (at - first < DOUBT_AFTER_MS || (ends.doubted.get(relay.id) ?? Number.NEGATIVE_INFINITY) > at) return;
    ends.doubted.set(relay.id, at + DOUBT_MS);
    ends.carried.clear();
    // Another relay that links to the member takes the route (none: this one keeps it).
    if (!target.disposed) options.doubted(target);
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
      while (ends.queue.length > 0 && !target.disposed && !options.stopped()) {
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
        const pace = options.paceThrough(relay);
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
          counts.unsent++;
          continue;
        }
        judge(target, ends, relay, piece);
        // The relay was just doubted and another took the route: the chat resends it there.
        if (generation !== ends.generation) {
          counts.unsent++;
          continue;
        }
        if (options.direct(relay) && relay.send({ t: 'relay:fwd', to: target.id, sealed })) {
          counts.sent++;
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

  return {
    /** The relay our route to this member goes through (null: none). */
    via: (target: Member): string | null => target.slot(endsSlot).via,

    /** This relay did not deliver our lines to this member lately (DOUBT_MS). */
    doubts: (target: Member, relayId: string, at: number): boolean =>
      (target.slot(endsSlot).doubted.get(relayId) ?? Number.NEGATIVE_INFINITY) > at,

    /**
     * The route to this member goes through another relay now (or none): what waited for the
     * old one is dropped, since the features hear the route open and resend what matters on
     * the new one (chat lines, read receipts, a reaction resync); a copy would only cost the
     * new relay's rate. What the old relay carried says nothing of the new one.
     */
    setVia(target: Member, via: string | null): void {
      const ends = target.slot(endsSlot);
      if (ends.via === via) return;
      ends.via = via;
      counts.unsent += ends.queue.length;
      ends.queue = [];
      ends.generation++;
      ends.carried.clear();
    },

    /** The route to `target` through `relay`, as member-messages.ts sends on it. */
    route(relay: Member, target: Member, rttMs: number | null): RelayRoute {
      const ends = target.slot(endsSlot);
      return {
        relayId: relay.id,
        relayName: relay.name,
        rttMs,
        get writable() {
          if (!options.direct(relay) || !relay.writable) return false;
          const pace = options.paceThrough(relay);
          const left = room(ends, pace);
          if (left >= 1) return true;
          scheduleWake(target, ends, untilToken(left, pace));
          return false;
        },
        send(message) {
          // One hop, end-to-end messages only: never link-level, relay, file or call messages.
          if (!RELAYABLE_TYPES.has(message.t) || !options.direct(relay) || target.announced === null) return false;
          // The relay counts every piece it passes on: so do we (a split history answer).
          const parts = pieces(message);
          if (parts.length === 0 || ends.queue.length + parts.length > queueLimit(options.paceThrough(relay)))
            return false;
          ends.queue.push(...parts);
          void pump(target);
          return true;
        },
      };
    },

    /** Its acks say our lines (or edits) arrived: the relay that carried them delivers. */
    acknowledged(author: Member, ids: readonly string[]): void {
      const { carried } = author.slot(endsSlot);
      for (const id of ids) carried.delete(id);
    },

    /** A relay's channel has room again: what waits for the members we reach through it goes on. */
    drainedThrough(relay: Member, members: Iterable<Member>): void {
      for (const target of members) {
        if (target !== relay && !target.disposed && target.slot(endsSlot).via === relay.id) wake(target);
      }
    },

    /** A member left: nobody passes it over any more, and its wake-up goes. */
    removed(member: MemberHandle, members: Iterable<Member>): void {
      for (const other of members) other.slot(endsSlot).doubted.delete(member.id);
      const ends = member.slot(endsSlot);
      if (ends.drainTimer !== null) clearTimeout(ends.drainTimer);
    },
  };
}

export type RelayOutbox = ReturnType<typeof createRelayOutbox>;
