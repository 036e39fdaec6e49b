// Call state: whether the sender is in the room's call and what it sends. Media itself goes
// as RTP tracks on the same RTCPeerConnection; this message only says what to show (a tile,
// muted, camera off, sharing a screen) and lets members outside the call see who is in it.
import * as z from 'zod/mini';
import { lineTimeSchema } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/**
 * From this version of the channel protocol (limits.ts CHANNEL_PROTOCOL_VERSION) on, a
 * call:state that says the sender sends video says since when (`videoSince`): the members
 * whose video went on at the same moment, past the cap, agree on who keeps it
 * (client/calls/video-order.ts). Only members that said this version get it: an older page's
 * strict schema refuses the whole state with a field it does not know.
 */
export const CALL_SINCE_VERSION = 11;

export const callSchemas = [
  /**
   * The sender's whole call state, sent when it changes, and whenever a channel opens once
   * the sender has been in a call since its page loaded (until then everyone takes it for
   * out of the call, the default).
   * audio: its microphone is on (not muted); video: its camera is on; screen: it shares a
   * screen. All three are false when inCall is false. screenAlongside: the screen goes as a
   * second video next to the camera (on its own transceiver) rather than in its place.
   * videoSince: while it sends video (a camera or a screen), when that began, by its own clock
   * (ms since 1970): its claim, which receivers weigh against what they saw (CALL_SINCE_VERSION).
   */
  z.strictObject({
    t: z.literal('call:state'),
    inCall: z.boolean(),
    audio: z.boolean(),
    video: z.boolean(),
    screen: z.boolean(),
    screenAlongside: z.optional(z.boolean()),
    videoSince: z.optional(lineTimeSchema),
  }),
] as const;

export type CallProtocolMessage = z.infer<(typeof callSchemas)[number]>;
export type CallState = Omit<CallProtocolMessage, 't'>;

/**
 * Mesh video costs each sender N−1 uploads: above this many cameras (or screens) on, joiners
 * get audio only. The server's MAX_VIDEO_SENDERS setting overrides it (sent in the join ack).
 */
export const DEFAULT_MAX_VIDEO_SENDERS = 6;
/** The most the setting may say: a room holds at most 256 members. */
export const MAX_VIDEO_SENDERS_LIMIT = 256;

/** The cap as the join ack gives it, if it is a sane one; null keeps what we have. */
export function parseVideoSenderCap(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_VIDEO_SENDERS_LIMIT
    ? value
    : null;
}

export const NOT_IN_CALL: CallState = Object.freeze({ inCall: false, audio: false, video: false, screen: false });

/** The member sends video, a camera or a screen: one of the cap's (MAX_VIDEO_SENDERS). */
export const sendsVideo = (state: CallState): boolean => state.inCall && (state.video || state.screen);

/** A state as the sender means it: out of the call, nothing is on; sending no video, no videoSince. */
export function normalizeCallState(state: CallState): CallState {
  if (!state.inCall) return { ...NOT_IN_CALL };
  const normal: CallState = { inCall: true, audio: state.audio, video: state.video, screen: state.screen };
  if (state.screen && state.screenAlongside === true) normal.screenAlongside = true;
  if (sendsVideo(state) && state.videoSince !== undefined) normal.videoSince = state.videoSince;
  return normal;
}

/**
 * What the sender's camera tile shows: a screen shared in place of its camera, its camera, or
 * nothing (camera off, also while a screen shared next to the camera has a tile of its own).
 */
export function callPicture(state: CallState): 'screen' | 'camera' | 'none' {
  if (!state.inCall) return 'none';
  if (state.screen && state.screenAlongside !== true) return 'screen';
  return state.video ? 'camera' : 'none';
}

/**
 * The link-level budget (client/budget.ts): a state message goes out on each change and on
 * each link opening (once in a call); the feature itself ignores more than a few a second
 * per member.
 */
export const callRates = {
  'call:state': { perSecond: 10, burst: 30 },
} as const satisfies Record<CallProtocolMessage['t'], ChannelRate>;
