// Relaying through members (issue 14): when our direct link to a member is down and another
// member links to both of us, our messages go through that member, one hop. Every member
// tells the ones it links to whom it links to (relay:links, with round-trip times); from
// that each member picks, for every member it cannot reach directly, the relay with the
// smallest total round trip, and switches when that relay goes or the direct link comes
// back (member-route.ts: the direct link is preferred whenever it works).
//
// What travels is sealed end to end (announce.ts): a relay sees sizes, not contents, and
// cannot alter, forge, redirect or replay what it carries. A relay passes on at most `rate`
// messages a second per pair, and nothing at all when the user turned relaying off. Senders
// pace themselves at the same rate, so an honest backlog is not dropped on the way.
//
// Handing a message to a relay is no proof it arrives: the features repair what matters
// (chat-resend.ts resends unacknowledged lines, receipts-relayed.ts read receipts).
//
// This module is the feature and the handle the page uses; its parts, each in a module of its own:
//   relay-rate.ts     the per-pair rate, and the bursts on top: the relay side's, a sender's;
//   relay-links.ts    our links advertised (relay:links), and what each member advertised;
//   relay-route.ts    the relay chosen for each member we cannot reach directly;
//   relay-outbox.ts   what we send through a relay: queued, paced, sealed as it goes, relays judged;
//   relay-inbox.ts    what comes to us through one: opened, checked, charged per (author, relay);
//   relay-forward.ts  the relay side: what others hand us, passed on within the per-pair rate.
import type { ChannelMessage } from '../protocol/index.ts';
import type { Announcement } from './announce.ts';
import { defineFeature } from './feature.ts';
import type { Member } from './member.ts';
import { createRelayForwarding } from './relay-forward.ts';
import { createRelayInbox, type Refusal } from './relay-inbox.ts';
import { createRelayLinks } from './relay-links.ts';
import { createRelayOutbox } from './relay-outbox.ts';
import { bucketRate, RELAY_RATE, SENDER_BURST_SECONDS } from './relay-rate.ts';
import { createRelayRoutes } from './relay-route.ts';

export { type Refusal, refusalText } from './relay-inbox.ts';
export { RELAY_RATE } from './relay-rate.ts';

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
  let stopped = false;

  /** A direct link that proved the room key (and, with crypto, both sides can prove). */
  const direct = (m: Member): boolean => !m.disposed && m.link.open && m.verification === 'verified';

  /** Whom we link to, told and heard (relay-links.ts). */
  const links = createRelayLinks({
    members: options.members,
    enabled: options.enabled,
    direct,
    rate: () => rate,
    stopped: () => stopped,
    now,
  });
  /** What comes to us through relays (relay-inbox.ts), counted in our stats. */
  const inbox = createRelayInbox({
    selfId: options.selfId,
    member: options.member,
    announcement: options.announcement,
    direct,
    deliver: options.deliver,
    refused: options.refused,
    // Its acks say our lines arrived: the relay that carried them delivers.
    acknowledged: (author, ids) => outbox.acknowledged(author, ids),
    counts: stats,
    now,
    wallClock,
  });
  /** What we send through relays (relay-outbox.ts), counted in our stats. */
  const outbox = createRelayOutbox({
    selfId: options.selfId,
    member: options.member,
    announcement: options.announcement,
    direct,
    // Ours, or the relay's own rate if that is lower.
    paceThrough: (relay) => Math.min(rate, links.rateOf(relay) ?? rate),
    bucketRate: (perSecond) => bucketRate(perSecond, SENDER_BURST_SECONDS),
    rate: () => rate,
    drained: options.drained,
    doubted: () => refresh(),
    stopped: () => stopped,
    counts: stats,
    now,
  });
  /** The relay for each member we cannot reach directly (relay-route.ts). */
  const routes = createRelayRoutes({ members: options.members, direct, linksOf: links.of, outbox, now });
  /** What we pass on for others (relay-forward.ts), counted in our stats. */
  const forwarding = createRelayForwarding({
    member: options.member,
    enabled: options.enabled,
    direct,
    rate: () => rate,
    counts: stats,
    now,
  });

  const feature = defineFeature({
    name: 'relay',
    types: ['relay:links', 'relay:fwd', 'relay:deliver'],
    opened(handle) {
      const member = options.member(handle.id);
      if (member) links.opened(member);
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
      forwarding.removed(member);
      outbox.removed(member, options.members());
      inbox.forgetRelay(member.id, options.members());
      refresh();
    },
    receive(handle, message) {
      const member = options.member(handle.id);
      if (!member) return;
      switch (message.t) {
        case 'relay:links':
          links.heard(member, message);
          refresh();
          return;
        case 'relay:fwd':
          forwarding.forward(member, message);
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
      links.advertise();
      routes.reroute();
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
      links.stop();
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
