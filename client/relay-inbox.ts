// What comes to us through a relay (relay:deliver), as relay.ts hands it over: opened
// (announce.ts) in the order it came, refused when it does not open, is out of the time
// window or came before (reported once in a while per author and relay: which of the two
// spoilt it, we cannot tell), charged to its author's quota through that relay (budget.ts,
// Quota: a relay decides when it delivers, so it must not be able to get an author muted or
// cut), and handed to the features in its author's order. One owner for this per-author
// state: a slot of its own on the author's member object; the nonces already opened, which
// must outlive that object, are the inbox's own, by author id.
import {
  CHANNEL_RATES,
  type ChannelMessage,
  type MessageOf,
  parseChannelMessage,
  RELAYABLE_TYPES,
} from '../protocol/index.ts';
import type { Announcement } from './announce.ts';
import { dropOldest } from './bounded.ts';
import { createQuota, type Quota } from './budget.ts';
import { createSlot } from './feature.ts';
import type { Member } from './member.ts';

/** A relayed message whose sender clock is further from ours than this is refused. */
export const REPLAY_WINDOW_MS = 5 * 60_000;
/**
 * Refusals of messages said to be from one author, passed on by one relay, are reported at
 * most once in this long (each is counted): a member sending junk through an honest relay
 * would otherwise fill the chat with notices about the relay.
 */
export const REFUSED_NOTICE_MS = 10_000;
/** Nonces remembered per sender (within the window) to refuse replays. */
const SEEN_LIMIT = 20_000;
/** Senders whose nonces are remembered, at most (a room holds at most 256 members). */
const SEEN_AUTHORS = 256;
/**
 * Relayed messages opened and waiting for the others that arrived with them, at most: then
 * they go to the features as they are, so that a stream of them cannot hold them back.
 */
const ORDER_BATCH_LIMIT = 64;

export type Refusal = 'altered' | 'replayed' | 'stale' | 'malformed';

/**
 * The chat's notice of a refused relayed message. It does not say who spoilt it: the relay
 * may have changed or replayed it, or the author may have sent it that way through an
 * honest relay.
 */
export function refusalText(author: string, via: string, why: Refusal): string {
  const what = {
    altered: 'did not open (changed on the way, or sent that way)',
    replayed: 'came before (a copy, passed on again or sent again)',
    stale: 'is too old (held back on the way, or its sender’s clock is far off)',
    malformed: 'is not one that may come through a relay',
  }[why];
  return `${via} passed on a message said to be from ${author} that ${what}: not shown.`;
}

/** What the inbox counts, in the relay's stats. */
export interface InboxCounts {
  received: number;
  fromHeld: number;
  refused: number;
  overBudget: number;
}

export interface InboxOptions {
  selfId(): string;
  member(id: string): Member | undefined;
  announcement: Pick<Announcement, 'open'>;
  /** A direct link that proved the room key (relay.ts). */
  direct(member: Member): boolean;
  /** An opened message from `from`, within its budget through that relay: to the features. */
  deliver(from: Member, message: ChannelMessage): void;
  /** A refused message from `from` carried by `via`: at most once per REFUSED_NOTICE_MS each. */
  refused(from: Member, via: Member, why: Refusal): void;
  /** Its acks came through a relay: our lines to it arrived (relay-outbox.ts judges its relays by them). */
  acknowledged(author: Member, ids: readonly string[]): void;
  /** Counted here, read in the relay's stats. */
  counts: InboxCounts;
  now(): number;
  wallClock(): number;
}

interface Inbox {
  /** Sealed messages from this member are opened in the order they came. */
  opening: Promise<void>;
  /** Its relayed messages still being opened. */
  arriving: number;
  /** Opened and within budget, waiting for those that came with them (ORDER_BATCH_LIMIT). */
  ready: ChannelMessage[];
  /** What its messages through each relay (by id) may cost us. */
  quotas: Map<string, Quota>;
  /** When a refusal of its messages through each relay (by id) was last reported. */
  refusalNoticed: Map<string, number>;
}

export function createRelayInbox(options: InboxOptions) {
  const { counts } = options;
  const inboxSlot = createSlot<Inbox>('relay-inbox', () => ({
    opening: Promise.resolve(),
    arriving: 0,
    ready: [],
    quotas: new Map(),
    refusalNoticed: new Map(),
  }));

  /**
   * Hands what was opened to the features, once nothing else from its author is being opened
   * (or ORDER_BATCH_LIMIT wait): chat lines that arrived together go in the order their
   * author wrote them (its sender times increase), the rest as they came. A relay that held
   * a batch back and passes it on in another order gets it shown as written; one that holds a
   * single line back longer than the next takes to arrive still gets them shown as they came.
   */
  function handOn(author: Member, inbox: Inbox): void {
    if (inbox.ready.length === 0 || (inbox.arriving > 0 && inbox.ready.length < ORDER_BATCH_LIMIT)) return;
    const batch = inbox.ready;
    inbox.ready = [];
    const lines = batch.filter((message): message is MessageOf<'chat'> => message.t === 'chat');
    if (lines.length > 1) {
      lines.sort((a, b) => a.ts - b.ts);
      let next = 0;
      for (let i = 0; i < batch.length; i++) if (batch[i]?.t === 'chat') batch[i] = lines[next++] as ChannelMessage;
    }
    for (const message of batch) {
      if (author.disposed) return;
      // Cut (or found intercepted) while these were opened: not heard any more.
      if (author.held) {
        counts.fromHeld++;
        continue;
      }
      counts.received++;
      options.deliver(author, message);
    }
  }

  /**
   * Nonces of each author's relayed messages we opened, with their sender time, by peer id:
   * not in the author's member slot, which is made anew when the member comes back under the
   * same id with the same keys (its signaling blipped, its page stayed), and a relay could then
   * pass on again, within the window, what it carried before.
   */
  const seenBy = new Map<string, Map<string, number>>();

  function seenOf(author: string, wall: number): Map<string, number> {
    const known = seenBy.get(author);
    if (known) return known;
    // A new author: what the others' maps hold past the window goes (nothing there to refuse),
    // and the maps left empty with it, so those of authors gone for good do not pile up.
    for (const [id, seen] of seenBy) {
      for (const [nonce, at] of seen) if (wall - at > REPLAY_WINDOW_MS) seen.delete(nonce);
      if (seen.size === 0) seenBy.delete(id);
    }
    const seen = new Map<string, number>();
    seenBy.set(author, seen);
    dropOldest(seenBy, SEEN_AUTHORS);
    return seen;
  }

  /** Remembers a nonce; expired ones go, and if the window still holds too many, the oldest tenth. */
  function remember(seen: Map<string, number>, nonce: string, ts: number, wall: number): void {
    seen.set(nonce, ts);
    if (seen.size <= SEEN_LIMIT) return;
    // A full scan then comes once per SEEN_LIMIT / 10 messages, not on every one (an author
    // flooding through several relays kept the map full, and each message scanned it all).
    for (const [old, at] of seen) if (wall - at > REPLAY_WINDOW_MS) seen.delete(old);
    for (const old of seen.keys()) {
      if (seen.size <= SEEN_LIMIT * 0.9) break;
      seen.delete(old);
    }
  }

  return {
    /** A relay:deliver that `via` passed on to us. */
    receive(via: Member, message: MessageOf<'relay:deliver'>): void {
      const author = options.member(message.from);
      const keys = author?.announced ?? null;
      if (!author || author === via || keys === null || !options.direct(via)) return;
      // A member cut on its own link (Member.held) must not go on talking through others.
      if (author.held) {
        counts.fromHeld++;
        return;
      }
      const inbox = author.slot(inboxSlot);
      const refuse = (why: Refusal) => {
        counts.refused++;
        // Its own link works: an honest member sends on it, so this is junk, and no notice.
        if (options.direct(author)) return;
        const at = options.now();
        if (at - (inbox.refusalNoticed.get(via.id) ?? Number.NEGATIVE_INFINITY) < REFUSED_NOTICE_MS) return;
        inbox.refusalNoticed.set(via.id, at);
        options.refused(author, via, why);
      };
      inbox.arriving++;
      inbox.opening = inbox.opening.then(async () => {
        try {
          const opened = await options.announcement.open(author.id, options.selfId(), keys, message.sealed);
          if (author.disposed) return;
          if (opened === null) return refuse('altered');
          const wall = options.wallClock();
          if (Math.abs(wall - opened.ts) > REPLAY_WINDOW_MS) return refuse('stale');
          const seen = seenOf(author.id, wall);
          if (seen.has(opened.nonce)) return refuse('replayed');
          remember(seen, opened.nonce, opened.ts, wall);
          // Only the holder of the ECDH key its signing key vouched for seals so.
          author.sealedOpened(keys);
          const inner = parseChannelMessage(opened.text);
          if (inner === null || !RELAYABLE_TYPES.has(inner.t)) return refuse('malformed');
          let quota = inbox.quotas.get(via.id);
          if (!quota) {
            quota = createQuota(CHANNEL_RATES, options.now);
            inbox.quotas.set(via.id, quota);
          }
          if (!quota.take(inner.t, opened.text.length)) {
            counts.overBudget++;
            return;
          }
          if (inner.t === 'ack') options.acknowledged(author, inner.ids);
          // Its own word, sealed, came through `via`: heard there, if silent on its own link.
          author.heardThroughRelay(via.name);
          inbox.ready.push(inner);
        } finally {
          inbox.arriving--;
          handOn(author, inbox);
        }
      });
    },
    /** A member went: what the others' messages through it cost, and its notices, go with it. */
    forgetRelay(relayId: string, members: Iterable<Member>): void {
      for (const other of members) {
        const { quotas, refusalNoticed } = other.slot(inboxSlot);
        quotas.delete(relayId);
        refusalNoticed.delete(relayId);
      }
    },
  };
}
