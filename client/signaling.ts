// The browser's side of the signaling contract: one Socket.IO connection that joins the room,
// rejoins by itself with its resume ticket after every reconnect, and hands room events and
// signals to the mesh. No chat text ever goes through here.
// This module is the handle the page uses (it sends the page's signals, rename and ICE
// refresh itself); its parts, each in a module of its own, are made and wired here:
//   signaling-socket.ts      the connection as opened: every transport, the room's routing key;
//   signaling-page.ts        what the page is told, held until it attaches;
//   signaling-room.ts        whether we are in the room, and its events, held until we are;
//   signaling-join.ts        our join, one at a time, and its answer;
//   signaling-refusals.ts    what a refused join leads to;
//   signaling-retry.ts       a join refused for now, sent again: by itself, on a freed seat, or by hand;
//   signaling-connection.ts  connected, lost, cut off: what the page is told and what comes next;
//   signaling-malformed.ts   what the server sends that does not parse.
import type { IceRefreshAck, OutgoingSignal, PeerKeys, RenameAck, ResumeTicket } from '../protocol/index.ts';
import { parseIceRefreshAck, parseRenameAck } from '../protocol/server-events.ts';
import { watchConnection } from './signaling-connection.ts';
import { createJoin } from './signaling-join.ts';
import { createMalformed } from './signaling-malformed.ts';
import { createSignalingPage, type JoinedAck, type SignalingHandlers, type SignalingStatus } from './signaling-page.ts';
import { createRefusals } from './signaling-refusals.ts';
import { createJoinRetry } from './signaling-retry.ts';
import { createSignalingRoom } from './signaling-room.ts';
import { ACK_TIMEOUT_MS, openSocket } from './signaling-socket.ts';
import { mark } from './timeline.ts';

export type { JoinedAck, SignalingHandlers, SignalingStatus };

export interface SignalingOptions {
  roomId: string;
  /** The name to join with (until attach() gives the page's own source of it). */
  name: () => string;
  resume: () => ResumeTicket | undefined;
  /** The keys to announce with each join (relay.ts needs them); resolved once, then at once. */
  keys?: () => Promise<PeerKeys | null>;
  /** The server; the page's own origin when absent (tests in Node give one). */
  url?: string;
}

export interface Signaling {
  /**
   * Hands the socket's events to the page, from now on. The socket connects and joins at
   * once, before the rest of the page is even loaded (boot.ts); whatever happened before
   * this (the join ack, peers joining, signals) is replayed now, in the order it came.
   */
  attach(handlers: SignalingHandlers, name: () => string): void;
  send(signal: OutgoingSignal): void;
  rename(name: string): Promise<RenameAck>;
  refreshIce(): Promise<IceRefreshAck>;
  /**
   * Refused for now ('refused'): sends the join again now rather than when its wait is over
   * (at most one a JOIN_RETRY_MIN_GAP_MS, the server's pace). False when there is nothing to
   * try again (in the room, refused for good, no connection: reconnecting joins by itself) or
   * it is on its way already (asked for, or sent).
   */
  retryNow(): boolean;
  /**
   * Closes the connection without leaving the room: the server announces us gone at once,
   * and our resume ticket stays good, so a reload of this tab takes our peer id back.
   * (`room:leave` would revoke the ticket: that is for leaving for good.)
   */
  close(): void;
  /**
   * Settles once the first join request is on the wire, or the first connection attempt
   * failed: from then on the page has nothing to gain by leaving the main thread to the
   * socket (boot.ts evaluates the rest of the client then).
   */
  readonly firstAttempt: Promise<void>;
}

export function createSignaling({ roomId, name, resume, keys, url }: SignalingOptions): Signaling {
  mark('socket-start');
  let attempted: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    attempted = resolve;
  });
  const socket = openSocket(roomId, url);
  let left = false;
  const isLeft = (): boolean => left;
  const { malformed, unparsed } = createMalformed();
  const page = createSignalingPage(name);
  const room = createSignalingRoom({ socket, heard: page.heard, malformed });
  const retry = createJoinRetry({
    socket,
    roomId,
    left: isLeft,
    inRoom: room.inRoom,
    asking: () => joining.asking(),
    join: () => joining.join(),
    malformed,
  });
  const refusals = createRefusals({
    join: (nameRetries) => joining.join(nameRetries),
    joinLater: (nameRetries, ms) => joining.joinLater(nameRetries, ms),
    retry,
  });
  const joining = createJoin({
    socket,
    roomId,
    page,
    resume,
    keys,
    left: isLeft,
    room,
    refusals,
    retry,
    malformed,
    attempted,
  });
  watchConnection({ socket, left: isLeft, heard: page.heard, room, joining, refusals, retry, malformed, attempted });
  socket.on('error', (error) => {
    // A rejected event. Logged for the curious; the mesh recovers through its own timers.
    console.warn('roomlink: server rejected an event', error.code, error.message);
  });

  return {
    firstAttempt,
    attach: page.attach,
    send(signal) {
      if (room.inRoom()) socket.emit('signal', signal);
    },
    async rename(next) {
      if (!room.inRoom())
        return { ok: false, error: { code: 'not_in_room', message: 'not connected to the server right now' } };
      const raw: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('room:rename', { name: next });
      return parseRenameAck(raw) ?? unparsed('room:rename ack');
    },
    async refreshIce() {
      const raw: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ice:refresh');
      return parseIceRefreshAck(raw) ?? unparsed('ice:refresh ack');
    },
    retryNow: retry.retryNow,
    close() {
      left = true;
      retry.cancel();
      socket.disconnect();
    },
  };
}
