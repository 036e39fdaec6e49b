// The signaling contract between browser and server (see DESIGN.md). Both sides import
// these types; the server parses every payload with the parsers below before using it,
// because TypeScript types say nothing about what a hostile client actually sends.
// zod/mini: the same parsers, tree-shaken; the classic API would add ~450 KB to the bundle.
import * as z from 'zod/mini';
import {
  MAX_CANDIDATE_LENGTH,
  MAX_M_LINE_INDEX,
  MAX_RESUME_TOKEN_LENGTH,
  MAX_SDP_LENGTH,
  MAX_SDP_MID_LENGTH,
  MAX_USERNAME_FRAGMENT_LENGTH,
  MIN_RESUME_TOKEN_LENGTH,
  PEER_ID_PATTERN,
  ROOM_ID_PATTERN,
} from './limits.ts';
import { normalizeName } from './name.ts';
import type { ErrorCode, ProtocolError } from './signaling-errors.ts';
import { type PeerKeys, peerKeysSchema } from './signaling-keys.ts';

export * from './signaling-errors.ts';
export * from './signaling-keys.ts';

export interface PeerInfo {
  id: string;
  name: string;
  /** Its announced keys, when it announced any (pages without WebCrypto cannot). */
  keys?: PeerKeys;
}

/** A member arrived, or came back: resumed when it took its old id back (reload, reconnect). */
export interface PeerJoined extends PeerInfo {
  resumed?: true;
}

/** What RTCPeerConnection takes as RTCIceServer, restated so the server needs no DOM types. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** Proof that a reconnecting tab owned a peer id: issued by the server with each join. */
export interface ResumeTicket {
  id: string;
  token: string;
}

export interface JoinRequest {
  roomId: string;
  name: string;
  resume?: ResumeTicket;
  keys?: PeerKeys;
}

export type JoinAck =
  | {
      ok: true;
      self: PeerInfo;
      resume: ResumeTicket;
      peers: PeerInfo[];
      iceServers: IceServer[];
      /** Unix time (s) after which the TURN credentials in iceServers stop working; 0 = never. */
      iceExpiresAt: number;
      /** Cameras on in a call above which a joiner gets audio only (the server's setting). */
      maxVideoSenders?: number;
    }
  | { ok: false; error: ProtocolError };

export interface RenameRequest {
  name: string;
}

export type RenameAck = { ok: true; name: string } | { ok: false; error: ProtocolError };

export type IceRefreshAck =
  | { ok: true; iceServers: IceServer[]; iceExpiresAt: number }
  | { ok: false; error: ProtocolError };

export interface SessionDescription {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp: string;
}

export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** A signal as a client sends it: to one peer, a description or a candidate. */
export interface OutgoingSignal {
  to: string;
  description?: SessionDescription;
  candidate?: IceCandidate;
}

/** A signal as the server delivers it: `from` is stamped by the server, never the client. */
export interface IncomingSignal {
  from: string;
  description?: SessionDescription;
  candidate?: IceCandidate;
}

export type PeerLeftReason = 'leave' | 'disconnect';

export interface PeerLeft {
  id: string;
  reason: PeerLeftReason;
}

export interface ClientToServerEvents {
  'room:join': (request: JoinRequest, ack: (response: JoinAck) => void) => void;
  signal: (signal: OutgoingSignal) => void;
  'room:leave': () => void;
  /** Change one's display name; the server checks it like a join's and tells the room. */
  'room:rename': (request: RenameRequest, ack: (response: RenameAck) => void) => void;
  /** Fresh TURN credentials before the ones from the join ack expire. */
  'ice:refresh': (ack: (response: IceRefreshAck) => void) => void;
}

/**
 * Every event a client may send, declared once: `satisfies` fails the build if an event of
 * ClientToServerEvents is missing here or one is named that it lacks. The server's event
 * check, rate-limit keys and metric labels all derive from it.
 */
const CLIENT_EVENT_TABLE = {
  'room:join': true,
  signal: true,
  'room:leave': true,
  'room:rename': true,
  'ice:refresh': true,
} as const satisfies Record<keyof ClientToServerEvents, true>;

export type ClientEvent = keyof typeof CLIENT_EVENT_TABLE;
export const CLIENT_EVENTS = Object.keys(CLIENT_EVENT_TABLE) as readonly ClientEvent[];

export function isClientEvent(name: unknown): name is ClientEvent {
  return typeof name === 'string' && Object.hasOwn(CLIENT_EVENT_TABLE, name);
}

export interface ServerToClientEvents {
  'peer:joined': (peer: PeerJoined) => void;
  'peer:left': (left: PeerLeft) => void;
  signal: (signal: IncomingSignal) => void;
  error: (error: ProtocolError) => void;
  /** The server is shutting down; reconnect in a moment (to another node if there is one). */
  'server:shutdown': () => void;
  /**
   * This connection is being cut off for sending too much, too fast (its guard): the
   * disconnect follows. Connect again no sooner than `retryAfterMs` from now.
   */
  'server:cut': (notice: CutNotice) => void;
  /** A member's name changed (the server accepted it): the only source of names. */
  'peer:renamed': (peer: PeerInfo) => void;
  /**
   * A seat has just freed in the room this connection was last refused from as full: ask
   * again now rather than at the end of the wait. Sent only to connections refused as full
   * and not seated since; others may ask too, so a join may still be refused.
   */
  'room:seat-freed': (notice: SeatFreed) => void;
}

export interface CutNotice {
  retryAfterMs: number;
}

export interface SeatFreed {
  roomId: string;
}

/** Events between server nodes through an adapter (none yet; the adapter relays rooms). */
export type InterServerEvents = Record<never, never>;

/**
 * What the server keeps on a socket (socket.data): set once the join is admitted, empty
 * otherwise. Who is in a room across nodes is the membership store's, not this.
 */
export interface SocketData {
  roomId?: string;
  peerId?: string;
  name?: string;
  /** When the connection last sent anything (ms since the epoch, its node's clock). */
  heardAt?: number;
  /**
   * The peer id whose room:leave was read, from the moment it was read: a disconnect before
   * the leave is done (read in the same packet batch, or while the revocation awaits Redis)
   * is that goodbye, not a lost connection. Keyed by the id, it needs no reset: a later join
   * on this connection gets a new one.
   */
  leaving?: string;
}

// ---------------------------------------------------------------------------------------
// Parsers. Each returns a discriminated result and never throws on hostile input.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

const roomIdSchema = z.string().check(z.regex(ROOM_ID_PATTERN));
const peerIdSchema = z.string().check(z.regex(PEER_ID_PATTERN));

const resumeSchema = z.strictObject({
  id: peerIdSchema,
  token: z.string().check(z.minLength(MIN_RESUME_TOKEN_LENGTH), z.maxLength(MAX_RESUME_TOKEN_LENGTH)),
});

const joinSchema = z.strictObject({
  roomId: z.unknown(),
  name: z.unknown(),
  resume: z.optional(resumeSchema),
  keys: z.optional(peerKeysSchema),
});

const descriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().check(z.maxLength(MAX_SDP_LENGTH)),
});

const candidateSchema = z.strictObject({
  candidate: z.string().check(z.maxLength(MAX_CANDIDATE_LENGTH)),
  sdpMid: z.optional(z.nullable(z.string().check(z.maxLength(MAX_SDP_MID_LENGTH)))),
  sdpMLineIndex: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(MAX_M_LINE_INDEX)))),
  usernameFragment: z.optional(z.nullable(z.string().check(z.maxLength(MAX_USERNAME_FRAGMENT_LENGTH)))),
});

const outgoingSignalSchema = z
  .strictObject({
    to: peerIdSchema,
    description: z.optional(descriptionSchema),
    candidate: z.optional(candidateSchema),
  })
  .check(
    z.refine((s) => (s.description === undefined) !== (s.candidate === undefined), {
      message: 'a signal carries exactly one of description or candidate',
    }),
  );

function fail<T>(code: ErrorCode, message: string): Parsed<T> {
  return { ok: false, error: { code, message } };
}

/** Checks a room:join payload; the name comes back trimmed. */
export function parseJoinRequest(raw: unknown): Parsed<JoinRequest> {
  const shape = joinSchema.safeParse(raw);
  if (!shape.success) return fail('bad_request', 'room:join expects { roomId, name, resume?, keys? }');
  const room = roomIdSchema.safeParse(shape.data.roomId);
  if (!room.success) return fail('invalid_room', 'room id must be 16–64 characters of A–Z a–z 0–9 _ -');
  const name = normalizeName(shape.data.name);
  if (!name.ok) return fail('invalid_name', name.reason);
  const request: JoinRequest = { roomId: room.data, name: name.name };
  if (shape.data.resume) request.resume = shape.data.resume;
  if (shape.data.keys) request.keys = shape.data.keys;
  return { ok: true, value: request };
}

/** Checks a room:rename payload; the name comes back trimmed. */
export function parseRenameRequest(raw: unknown): Parsed<RenameRequest> {
  if (typeof raw !== 'object' || raw === null || Object.keys(raw).length !== 1 || !Object.hasOwn(raw, 'name')) {
    return fail('bad_request', 'room:rename expects { name }');
  }
  const name = normalizeName((raw as { name: unknown }).name);
  if (!name.ok) return fail('invalid_name', name.reason);
  return { ok: true, value: { name: name.name } };
}

/** Checks a signal payload: a peer id and exactly one of description or candidate. */
export function parseOutgoingSignal(raw: unknown): Parsed<OutgoingSignal> {
  const parsed = outgoingSignalSchema.safeParse(raw);
  if (!parsed.success) {
    return fail('bad_request', 'signal expects { to, description } or { to, candidate }');
  }
  const { to, description, candidate } = parsed.data;
  const signal: OutgoingSignal = { to };
  if (description) signal.description = description;
  if (candidate) signal.candidate = stripUndefined(candidate);
  return { ok: true, value: signal };
}

function stripUndefined(candidate: z.infer<typeof candidateSchema>): IceCandidate {
  const out: IceCandidate = { candidate: candidate.candidate };
  if (candidate.sdpMid !== undefined) out.sdpMid = candidate.sdpMid;
  if (candidate.sdpMLineIndex !== undefined) out.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment !== undefined) out.usernameFragment = candidate.usernameFragment;
  return out;
}

export function isRoomId(value: unknown): value is string {
  return typeof value === 'string' && ROOM_ID_PATTERN.test(value);
}
