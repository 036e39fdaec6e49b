// Our join: sent once the keys to announce are there, one at a time (the latest asked for
// goes), with the page's name and our resume ticket; and its answer. No answer, or none that
// parses, is a half-broken connection, reconnected; a refusal is for signaling-refusals.ts;
// in, the page is told, then the room's events held until now (signaling-room.ts).
import type { PeerKeys, ResumeTicket } from '../protocol/index.ts';
import { parseJoinAck } from '../protocol/server-events.ts';
import { joinRetryDelay } from './join-retry.ts';
import type { SignalingPage } from './signaling-page.ts';
import { NAME_RETRIES, type Refusals } from './signaling-refusals.ts';
import type { JoinRetry } from './signaling-retry.ts';
import type { SignalingRoom } from './signaling-room.ts';
import { ACK_TIMEOUT_MS, type SignalingSocket } from './signaling-socket.ts';
import { mark } from './timeline.ts';

export interface JoinOptions {
  socket: SignalingSocket;
  roomId: string;
  page: Pick<SignalingPage, 'name' | 'heard'>;
  resume(): ResumeTicket | undefined;
  /** The keys to announce with each join (SignalingOptions.keys). */
  keys: (() => Promise<PeerKeys | null>) | undefined;
  /** The page closed the connection (Signaling.close). */
  left(): boolean;
  room: Pick<SignalingRoom, 'inRoom' | 'enter'>;
  refusals: Pick<Refusals, 'answer' | 'joined'>;
  retry: Pick<JoinRetry, 'sent' | 'joined'>;
  malformed(event: string): void;
  /** A join request is on the wire (the first settles Signaling.firstAttempt). */
  attempted(): void;
}

export interface SignalingJoin {
  /** Sends our join, with this many retries with another name (NAME_RETRIES when absent). */
  join(nameRetries?: number): void;
  /** Joins after a wait, unless something joined meanwhile or the connection went. */
  joinLater(nameRetries: number, ms: number): void;
  /** A join is on its way (from join() to its answer): another would be refused as already_joined. */
  asking(): boolean;
  /** We were in the room before: the next join is a rejoin. */
  joinedOnce(): boolean;
  /** The connection went, and a join on its way with it. */
  lost(): void;
}

export function createJoin(options: JoinOptions): SignalingJoin {
  const { socket, roomId, page, resume, keys, left, room, refusals, retry, malformed, attempted } = options;
  let joinedOnce = false;
  /** Join answers in a row that did not parse: the next reconnection waits longer (join-retry.ts). */
  let junkAcks = 0;
  /** A join is on its way (from join() to its answer): another would be refused as already_joined. */
  let asking = false;

  /** Counts join() calls: only the latest sends, once the keys are there (one join at a time). */
  let joins = 0;
  function join(nameRetries = NAME_RETRIES): void {
    asking = true;
    const attempt = ++joins;
    if (!keys) sendJoin(nameRetries, null);
    else
      void keys().then((announced) => {
        if (attempt !== joins) return;
        if (!left() && socket.connected) sendJoin(nameRetries, announced);
        else asking = false;
      });
  }
  /** Joins after a wait, unless something joined meanwhile or the connection went. */
  const joinLater = (nameRetries: number, ms: number): void => {
    setTimeout(() => !left() && !room.inRoom() && !asking && socket.connected && join(nameRetries), ms);
  };

  function sendJoin(nameRetries: number, announced: PeerKeys | null): void {
    const request = { roomId, name: page.name(), ...withResume(resume()), ...(announced ? { keys: announced } : {}) };
    mark('join-sent');
    attempted();
    retry.sent();
    socket.timeout(ACK_TIMEOUT_MS).emit('room:join', request, (err, raw) =>
      page.heard((handlers) => {
        asking = false;
        const ack = err ? null : parseJoinAck(raw);
        if (ack === null) {
          // No answer (or none that parses): the connection is half-broken. Reconnecting rejoins:
          // at once after a silence (the ack's deadline was the wait) or a first junk answer;
          // after more junk in a row, paced as refusals are. A broken or hostile server may
          // answer every join with junk: at once each time, that was a reconnection loop as
          // fast as the network.
          socket.disconnect();
          if (!err) {
            malformed('room:join ack');
            junkAcks += 1;
          }
          const wait = err || junkAcks <= 1 ? 0 : joinRetryDelay(junkAcks - 1);
          setTimeout(() => !left() && socket.connect(), wait);
          return;
        }
        junkAcks = 0;
        if (!ack.ok) {
          refusals.answer(ack.error, nameRetries, handlers);
          return;
        }
        room.enter(() => {
          refusals.joined();
          retry.joined();
          mark('join-ack');
          handlers.onJoined(ack, joinedOnce);
          joinedOnce = true;
          handlers.onStatus('joined');
        });
      }),
    );
  }

  return {
    join,
    joinLater,
    asking: () => asking,
    joinedOnce: () => joinedOnce,
    lost() {
      asking = false;
    },
  };
}

function withResume(ticket: ResumeTicket | undefined): { resume?: ResumeTicket } {
  return ticket ? { resume: ticket } : {};
}
