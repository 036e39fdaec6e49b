// Advertisements of links (relay:links): every member tells the ones it links to whom it
// links to, with round-trip times and the per-pair rate it relays at, and we keep what each
// told us, for the routes (relay-route.ts) and the pace through it (relay-outbox.ts). Ours go
// out on every change of our direct links, at most once per ADVERTISE_MIN_INTERVAL_MS, and
// say nothing when the user turned relaying off. One owner for what a member advertised: a
// slot of its own on the member object.
import type { MessageOf } from '../protocol/index.ts';
import { createSlot } from './feature.ts';
import type { Member } from './member.ts';

/** Advertisements go out at most this often (and on every change of our direct links). */
const ADVERTISE_MIN_INTERVAL_MS = 1_000;
/** Round trips are compared in steps of this (ms): jitter alone does not re-advertise. */
export const RTT_STEP_MS = 10;

interface Reach {
  /** What this member last advertised: the members it links to, with its RTT to each. */
  links: Map<string, number | null>;
  /** The per-pair rate it said it relays at (null: it did not say; ours is assumed). */
  rate: number | null;
}

export interface LinksOptions {
  members(): Iterable<Member>;
  /** The user lets this page relay for others (a setting, on by default). */
  enabled(): boolean;
  /** A direct link that proved the room key (relay.ts). */
  direct(member: Member): boolean;
  /** Ours, per pair, for others (the page's setting). */
  rate(): number;
  /** relay.ts stopped: nothing more goes. */
  stopped(): boolean;
  now(): number;
}

export function createRelayLinks(options: LinksOptions) {
  const { now, direct } = options;
  const reachSlot = createSlot<Reach>('relay', () => ({ links: new Map(), rate: null }));
  let lastAdvertised = '';
  let lastAdvertisedAt = Number.NEGATIVE_INFINITY;
  let advertiseTimer: ReturnType<typeof setTimeout> | null = null;
  /** Members whose links opened since our last advertisement: they get the next one. */
  const owed = new Set<Member>();

  function ourLinks(): MessageOf<'relay:links'>['peers'] {
    if (!options.enabled()) return [];
    return [...options.members()]
      .filter((m) => direct(m) && m.announced !== null)
      .map((m) => ({ id: m.id, rtt: m.rttMs === null ? null : Math.round(m.rttMs) }));
  }

  /** Sends our links to these members (those we link to directly). */
  function sendLinks(to: Iterable<Member>): void {
    const peers = ourLinks();
    const rate = options.rate();
    for (const member of to) if (direct(member)) member.send({ t: 'relay:links', peers, rate });
  }

  const summary = (): string =>
    `${options.rate()}|${ourLinks()
      .map((p) => `${p.id}:${p.rtt === null ? '' : Math.round(p.rtt / RTT_STEP_MS)}`)
      .sort()
      .join(',')}`;

  return {
    /**
     * Our direct links changed, or a member's link opened: tell everyone, or that member, at
     * most once per ADVERTISE_MIN_INTERVAL_MS. (A member whose link just opened was told at
     * once and again with the advertisement its link caused: in a room of eight forming at
     * once, 117 relay:links where 60 say the same.)
     */
    advertise(): void {
      if (options.stopped() || advertiseTimer !== null || (summary() === lastAdvertised && owed.size === 0)) return;
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
    },
    /**
     * A member whose link just opened gets our links with our next advertisement, whatever
     * the others heard (one that its own link may cause anyway).
     */
    opened(member: Member): void {
      if (direct(member)) owed.add(member);
    },
    /** What this member advertised: it replaces what it said before. */
    heard(member: Member, message: MessageOf<'relay:links'>): void {
      const reach = member.slot(reachSlot);
      reach.rate = message.rate ?? null;
      const links = reach.links;
      links.clear();
      for (const peer of message.peers) if (peer.id !== member.id) links.set(peer.id, peer.rtt);
    },
    /** The members this one last said it links to, with its RTT to each. */
    of: (member: Member): Map<string, number | null> => member.slot(reachSlot).links,
    /** The per-pair rate this member said it relays at (null: it did not say). */
    rateOf: (member: Member): number | null => member.slot(reachSlot).rate,
    stop(): void {
      owed.clear();
      if (advertiseTimer !== null) clearTimeout(advertiseTimer);
      advertiseTimer = null;
    },
  };
}

export type RelayLinks = ReturnType<typeof createRelayLinks>;
