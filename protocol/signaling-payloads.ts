// What the signaling events carry, both ways: the types both sides import. Types only: the
// server parses what a client sends before using it (signaling-parsers.ts), and the page
// what the server sends (server-events.ts).
import type { ProtocolError } from './signaling-errors.ts';
import type { PeerKeys } from './signaling-keys.ts';

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

export interface CutNotice {
  retryAfterMs: number;
}

export interface SeatFreed {
  roomId: string;
}
