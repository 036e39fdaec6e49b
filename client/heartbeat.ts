// The link's heartbeat (link.ts): a ping a second on the chat channel, so that a member that
// hears none for a few seconds knows the link is silent. Pings go only while we hear the
// member too. The channel is reliable: the pings sent before the member fell silent wait in
// it and reach the member the moment the path is back, which is all it needs to hear us
// again (and then it pings, and we hear it). Sent on through the silence, a ping a second
// piled up in the channel for as long as the dead spot lasted and came out all at once when
// it ended: past a minute, more than the member's budget lets through at once (pings: burst
// 60, protocol/channel/core.ts), so it muted us for 5 s (budget.ts) and dropped the lines,
// typing and receipts that came with them.

import { STALL_SLACK_MS } from './silence-watch.ts';

/** How often a ping goes while the member is heard. */
export const HEARTBEAT_INTERVAL_MS = 1_000;
/** Silence after which a peer counts as gone: 3 missed pings, inside the 5 s target. */
export const HEARTBEAT_TIMEOUT_MS = 3_500;
/** How often the link checks for that silence (silence-watch.ts). */
export const HEARTBEAT_CHECK_MS = 250;
/**
 * Members last heard within this of each other may have gone quiet together, for one cause:
 * our own network going. Each pings once a HEARTBEAT_INTERVAL_MS, so each was last heard up
 * to that long before the network went, and a ping may come up to a stall's slack late.
 */
export const QUIET_TOGETHER_MS = HEARTBEAT_INTERVAL_MS + STALL_SLACK_MS;

/**
 * A member last heard at `later` was heard well after another was last heard, at `earlier`:
 * our network still carried after the other went quiet, so that silence is the other's own
 * (or its path's), not our network's.
 */
export function heardWellAfter(later: number, earlier: number): boolean {
  return later - earlier > QUIET_TOGETHER_MS;
}

/** Whether the heartbeat's tick sends a ping: on an open channel to a member we hear. */
export function pingDue(channelOpen: boolean, memberSilent: boolean): boolean {
  return channelOpen && !memberSilent;
}
