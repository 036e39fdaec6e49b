// What the signaling server sends a page, checked by the page as everything from outside is:
// a hostile or broken server must not break it. Unchecked, a member name that was no string
// could make the mention check throw on every line with an "@", and a throw in a socket
// listener makes Socket.IO drop the connection ("parse error"). Malformed events are dropped. The same rules as the
// server's own parsers (signaling-parsers.ts), written without zod: the page's entry parses these
// before its join, and must not carry the schemas (scripts/build-client.ts). Extra fields
// are let through unread: a newer server may add some.
import * as limits from './limits.ts';
import { normalizeName } from './name.ts';
import type {
  CutNotice,
  IceCandidate,
  IceRefreshAck,
  IceServer,
  IncomingSignal,
  JoinAck,
  PeerInfo,
  PeerJoined,
  PeerKeys,
  PeerLeft,
  ProtocolError,
  RenameAck,
  SeatFreed,
  SessionDescription,
} from './signaling.ts';

type Fields = Record<string, unknown>;

const isFields = (raw: unknown): raw is Fields => typeof raw === 'object' && raw !== null && !Array.isArray(raw);
const matches = (raw: unknown, pattern: RegExp): raw is string => typeof raw === 'string' && pattern.test(raw);
const shortString = (raw: unknown, max: number): raw is string => typeof raw === 'string' && raw.length <= max;
/** Absent, null, or passing `check`. */
const optional = (raw: unknown, check: (value: unknown) => boolean): boolean =>
  raw === undefined || raw === null || check(raw);

const DESCRIPTION_TYPES: ReadonlySet<unknown> = new Set<SessionDescription['type']>([
  'offer',
  'answer',
  'pranswer',
  'rollback',
]);
const LEFT_REASONS: ReadonlySet<unknown> = new Set<PeerLeft['reason']>(['leave', 'disconnect']);

function keysOf(raw: Fields): PeerKeys | null {
  const { sign, ecdh, proof, held } = raw;
  if (!matches(sign, limits.PUBLIC_KEY_PATTERN) || !matches(ecdh, limits.PUBLIC_KEY_PATTERN)) return null;
  if (!matches(proof, limits.KEY_PROOF_PATTERN)) return null;
  // A malformed `held` proves nothing, and costs the member only that (member-key-hold.ts).
  return matches(held, limits.SIGNATURE_PATTERN) ? { sign, ecdh, proof, held } : { sign, ecdh, proof };
}

/** A member as the server describes it (peer:joined, peer:renamed), its name checked and normalized; null if malformed. */
export function parsePeerInfo(raw: unknown): PeerInfo | null {
  if (!isFields(raw) || !matches(raw.id, limits.PEER_ID_PATTERN)) return null;
  const name = normalizeName(raw.name);
  if (!name.ok) return null;
  const peer: PeerInfo = { id: raw.id, name: name.name };
  if (raw.keys === undefined) return peer;
  const keys = isFields(raw.keys) ? keysOf(raw.keys) : null;
  if (keys === null) return null;
  peer.keys = keys;
  return peer;
}

/** A peer:joined payload; null if malformed. */
export function parsePeerJoined(raw: unknown): PeerJoined | null {
  const peer = parsePeerInfo(raw);
  if (peer === null) return null;
  return (raw as Fields).resumed === true ? { ...peer, resumed: true } : peer;
}

/** A server:cut payload (a whole number of ms, at most limits.MAX_CUT_WAIT_MS); null if malformed. */
export function parseCutNotice(raw: unknown): CutNotice | null {
  if (!isFields(raw)) return null;
  const { retryAfterMs } = raw;
  return Number.isSafeInteger(retryAfterMs) &&
    (retryAfterMs as number) >= 0 &&
    (retryAfterMs as number) <= limits.MAX_CUT_WAIT_MS
    ? { retryAfterMs: retryAfterMs as number }
    : null;
}

/** A room:seat-freed payload (a room id); null if malformed. */
export function parseSeatFreed(raw: unknown): SeatFreed | null {
  return isFields(raw) && matches(raw.roomId, limits.ROOM_ID_PATTERN) ? { roomId: raw.roomId } : null;
}

/** A peer:left payload; null if malformed. */
export function parsePeerLeft(raw: unknown): PeerLeft | null {
  if (!isFields(raw) || !matches(raw.id, limits.PEER_ID_PATTERN) || !LEFT_REASONS.has(raw.reason)) return null;
  return { id: raw.id, reason: raw.reason as PeerLeft['reason'] };
}

function descriptionOf(raw: unknown): SessionDescription | null {
  if (!isFields(raw) || !DESCRIPTION_TYPES.has(raw.type) || !shortString(raw.sdp, limits.MAX_SDP_LENGTH)) return null;
  return { type: raw.type as SessionDescription['type'], sdp: raw.sdp };
}

function candidateOf(raw: unknown): IceCandidate | null {
  if (!isFields(raw) || !shortString(raw.candidate, limits.MAX_CANDIDATE_LENGTH)) return null;
  const { sdpMid, sdpMLineIndex, usernameFragment } = raw;
  const index = (value: unknown) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= limits.MAX_M_LINE_INDEX;
  if (
    !optional(sdpMid, (value) => shortString(value, limits.MAX_SDP_MID_LENGTH)) ||
    !optional(sdpMLineIndex, index) ||
    !optional(usernameFragment, (value) => shortString(value, limits.MAX_USERNAME_FRAGMENT_LENGTH))
  ) {
    return null;
  }
  const candidate: IceCandidate = { candidate: raw.candidate };
  if (sdpMid !== undefined) candidate.sdpMid = sdpMid as string | null;
  if (sdpMLineIndex !== undefined) candidate.sdpMLineIndex = sdpMLineIndex as number | null;
  if (usernameFragment !== undefined) candidate.usernameFragment = usernameFragment as string | null;
  return candidate;
}

/** A signal as the server relays it: from a peer id, exactly one of a description or a candidate; null if malformed. */
export function parseIncomingSignal(raw: unknown): IncomingSignal | null {
  if (!isFields(raw) || !matches(raw.from, limits.PEER_ID_PATTERN)) return null;
  if ((raw.description === undefined) === (raw.candidate === undefined)) return null;
  if (raw.description !== undefined) {
    const description = descriptionOf(raw.description);
    return description ? { from: raw.from, description } : null;
  }
  const candidate = candidateOf(raw.candidate);
  return candidate ? { from: raw.from, candidate } : null;
}

/** A join ack's lists, at most: a room holds far fewer members, a server gives a few ICE servers. */
const MAX_ACK_PEERS = 1_000;
const MAX_ICE_SERVERS = 32;
const MAX_ICE_FIELD_LENGTH = 1_024;
const ICE_URL = /^(stun|stuns|turn|turns):/;

function iceServerOf(raw: unknown): IceServer | null {
  if (!isFields(raw)) return null;
  const urls = typeof raw.urls === 'string' ? [raw.urls] : raw.urls;
  if (!Array.isArray(urls) || urls.length === 0) return null;
  if (!urls.every((url) => shortString(url, MAX_ICE_FIELD_LENGTH) && ICE_URL.test(url))) return null;
  const server: IceServer = { urls: urls as string[] };
  for (const field of ['username', 'credential'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (!shortString(value, MAX_ICE_FIELD_LENGTH)) return null;
    server[field] = value;
  }
  return server;
}

/** The ICE servers that parse, and when their credentials expire (0: never, or not said). */
function iceGrantOf(raw: Fields): { iceServers: IceServer[]; iceExpiresAt: number } {
  const expires = raw.iceExpiresAt;
  return {
    iceServers: each(raw.iceServers, MAX_ICE_SERVERS, iceServerOf),
    iceExpiresAt: typeof expires === 'number' && Number.isFinite(expires) && expires >= 0 ? expires : 0,
  };
}

/** What each list holds that parses, the rest dropped; [] for no list. */
function each<T>(raw: unknown, max: number, parse: (item: unknown) => T | null): T[] {
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, max).flatMap((item) => parse(item) ?? []);
}

function errorOf(raw: unknown): ProtocolError | null {
  if (!isFields(raw) || typeof raw.code !== 'string' || !shortString(raw.message, MAX_ICE_FIELD_LENGTH)) return null;
  const error: ProtocolError = { code: raw.code as ProtocolError['code'], message: raw.message };
  if (raw.suggestion !== undefined) {
    const name = normalizeName(raw.suggestion);
    if (name.ok) error.suggestion = name.name;
  }
  if (typeof raw.retryAfterMs === 'number' && Number.isFinite(raw.retryAfterMs)) error.retryAfterMs = raw.retryAfterMs;
  if (raw.resuming === true) error.resuming = true;
  if (Number.isSafeInteger(raw.maxRoomSize) && (raw.maxRoomSize as number) > 0) {
    error.maxRoomSize = raw.maxRoomSize as number;
  }
  return error;
}

/**
 * A join ack: ours (`self`) and the resume ticket must parse, members and ICE servers that do
 * not are left out; null when it is no ack at all (taken as no answer: the page reconnects).
 */
export function parseJoinAck(raw: unknown): JoinAck | null {
  if (!isFields(raw)) return null;
  if (raw.ok !== true) return refusalOf(raw);
  const self = parsePeerInfo(raw.self);
  const resume = raw.resume;
  if (self === null || !isFields(resume) || !matches(resume.id, limits.PEER_ID_PATTERN)) return null;
  const { token } = resume;
  if (typeof token !== 'string' || token.length < limits.MIN_RESUME_TOKEN_LENGTH) return null;
  if (token.length > limits.MAX_RESUME_TOKEN_LENGTH) return null;
  const ack: JoinAck = {
    ok: true,
    self,
    resume: { id: resume.id, token },
    peers: each(raw.peers, MAX_ACK_PEERS, parsePeerInfo),
    ...iceGrantOf(raw),
  };
  if (Number.isInteger(raw.maxVideoSenders) && (raw.maxVideoSenders as number) >= 0) {
    ack.maxVideoSenders = raw.maxVideoSenders as number;
  }
  return ack;
}

/** A refusal, or null when `raw` is no answer of this shape at all. */
function refusalOf(raw: Fields): { ok: false; error: ProtocolError } | null {
  const error = raw.ok === false ? errorOf(raw.error) : null;
  return error ? { ok: false, error } : null;
}

/** A room:rename ack: the name the server accepted, checked; null when it is no ack at all. */
export function parseRenameAck(raw: unknown): RenameAck | null {
  if (!isFields(raw)) return null;
  if (raw.ok !== true) return refusalOf(raw);
  const name = normalizeName(raw.name);
  return name.ok ? { ok: true, name: name.name } : null;
}

/** An ice:refresh ack: the ICE servers that parse; null when it is no ack at all. */
export function parseIceRefreshAck(raw: unknown): IceRefreshAck | null {
  if (!isFields(raw)) return null;
  if (raw.ok !== true) return refusalOf(raw);
  return { ok: true, ...iceGrantOf(raw) };
}
