// The route to each member we cannot reach directly: the relay with the smallest total round
// trip (ours to it plus its own onward, as it advertised: relay-links.ts), kept while no
// other is clearly faster, and given up when the direct link comes back (member-route.ts:
// the direct link is preferred whenever it works). A relay that did not deliver to the
// member lately (relay-outbox.ts doubts it) is taken only when no other links to it; one
// that went quiet together with the member, not at all (heardSince).
import { heardWellAfter } from './heartbeat.ts';
import type { Member } from './member.ts';
import { RTT_STEP_MS } from './relay-links.ts';
import type { RelayOutbox } from './relay-outbox.ts';

/**
 * Another relay takes over a route only when it is faster by at least this much (ms), or by
 * this fraction of the current round trip if that is more: two relays about as fast would
 * otherwise swap on every path poll's jitter, and each swap can reorder what is in flight.
 */
const SWITCH_MARGIN_MS = RTT_STEP_MS;
const SWITCH_MARGIN_FRACTION = 0.2;

/** A relay that links to the member a route is for, with the round trip through it. */
interface Candidate {
  relay: Member;
  /** The round trip, or the largest number when it is not known. */
  cost: number;
  rtt: number | null;
  /** It did not deliver our lines to this member lately (relay-outbox.ts, DOUBT_MS). */
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

/**
 * The relay was heard well after the member, silent on a link that worked, was last heard
 * (heartbeat.ts). Else both may have gone quiet at once, for one cause (our own network
 * going), the relay's silence only not noticed yet: the member was shown reached through a
 * member that reached nobody ("not reached directly right now (only through Bob)", said in a
 * call, while our own network was gone).
 */
function heardSince(relay: Member, target: Member): boolean {
  return !target.link.established || heardWellAfter(relay.link.heardAt, target.link.heardAt);
}

export interface RoutesOptions {
  members(): Iterable<Member>;
  /** A direct link that proved the room key (relay.ts). */
  direct(member: Member): boolean;
  /** The members this one last said it links to, with its RTT to each (relay-links.ts). */
  linksOf(member: Member): Map<string, number | null>;
  /** Where our messages to each member wait and go (relay-outbox.ts): it keeps the route's relay. */
  outbox: Pick<RelayOutbox, 'via' | 'setVia' | 'doubts' | 'route'>;
  now(): number;
}

export function createRelayRoutes(options: RoutesOptions) {
  const { outbox, direct } = options;
  return {
    /**
     * For every member we cannot reach directly: the relay with the smallest round trip (ours
     * to it plus its own onward), kept while no other is clearly faster; a relay that did not
     * deliver to the member lately only when no other links to it; none that went quiet with it.
     */
    reroute(): void {
      const all = [...options.members()];
      const at = options.now();
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
          if (relay === target || !direct(relay) || !heardSince(relay, target)) continue;
          const links = options.linksOf(relay);
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
    },
  };
}
