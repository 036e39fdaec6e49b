// What each setting is when neither its variable nor its flag gives it (config.ts): the
// values parseConfig starts from, and --help states.
import { DEFAULT_MAX_VIDEO_SENDERS } from '../protocol/channel/calls.ts';
import { DEFAULT_MAX_ROOM_SIZE } from '../protocol/limits.ts';
import type { Config } from './config.ts';

/**
 * Handed to browsers when no STUN server is configured: without one, a browser behind NAT
 * offers only its private addresses and links across networks fail. A public server run by
 * Google, widely used for this; `--stun-urls none` turns it off.
 */
export const DEFAULT_STUN_URL = 'stun:stun.l.google.com:19302';

export const DEFAULTS: Config = {
  port: 3000,
  host: '0.0.0.0',
  maxRoomSize: DEFAULT_MAX_ROOM_SIZE,
  maxVideoSenders: DEFAULT_MAX_VIDEO_SENDERS,
  logLevel: 'info',
  stunUrls: [DEFAULT_STUN_URL],
  turnUrls: [],
  turnTtl: 3600,
  tunnel: false,
  clusterTimeoutMs: 2_000,
  shutdownDrainMs: 0,
  // The others' pages wait as long before they say a member left (client/departures.ts).
  seatHoldMs: 10_000,
  allowedOrigins: [],
  trustProxy: false,
  // Sized so that a full room of 16 behind one NAT, meshing and ICE-restarting at once,
  // stays well inside them (see README, "Limits"); a flood does not.
  rateJoinSocket: { perSecond: 1, burst: 10 },
  rateJoinIp: { perSecond: 10, burst: 100 },
  rateSignalSocket: { perSecond: 50, burst: 200 },
  rateSignalIp: { perSecond: 500, burst: 4_000 },
  rateIceSocket: { perSecond: 1, burst: 20 },
  rateIceIp: { perSecond: 20, burst: 200 },
  rateConnectIp: { perSecond: 10, burst: 100 },
};
