// What the page is told by the signaling client (its handlers: our join's answer, the room's
// members and their signals, our status) and the name it joins under. The socket connects and
// joins before the rest of the page is even loaded (boot.ts): whatever the socket hears before
// the page attaches is held, and replayed then, in the order it came.
import type { IncomingSignal, JoinAck, PeerInfo, PeerJoined, PeerLeft, ProtocolError } from '../protocol/index.ts';

export type SignalingStatus =
  | 'connecting' // first connection, not yet in the room
  | 'joined' // in the room
  | 'reconnecting' // lost the server; peers with open channels keep chatting
  | 'reclaiming' // the server is reachable, but our earlier connection still holds our place: waiting it out
  | 'replaced' // another tab took over this peer id
  | 'cut' // the server cut this connection for sending too much, too fast: back once it lets us
  | 'refused' // the server keeps us out for now (room full, …): the join is sent again by itself (join-retry.ts)
  | 'rejected'; // the server refused the join for good (a name that is not one, …)

export type JoinedAck = Extract<JoinAck, { ok: true }>;

export interface SignalingHandlers {
  onJoined(ack: JoinedAck, rejoin: boolean): void;
  onPeerJoined(peer: PeerJoined): void;
  onPeerLeft(left: PeerLeft): void;
  onPeerRenamed(peer: PeerInfo): void;
  /**
   * The join was refused because the name is taken. Return true once name() gives another
   * one to try (the server's suggestion, say): the join is retried at once.
   */
  onNameTaken(error: ProtocolError): boolean;
  onSignal(signal: IncomingSignal): void;
  /** With 'refused', 'rejected' and 'reclaiming': the server's refusal. */
  onStatus(status: SignalingStatus, error?: ProtocolError): void;
}

export interface SignalingPage {
  /** The name to join with: the one the client was made with until attach() gives the page's own source of it. */
  name(): string;
  /** Runs what an event does now, or once the page is attached: never out of order. */
  heard(run: (to: SignalingHandlers) => void): void;
  /** The page listens from now on: what the socket heard before is replayed now (Signaling.attach). */
  attach(handlers: SignalingHandlers, name: () => string): void;
}

export function createSignalingPage(initialName: () => string): SignalingPage {
  let name = initialName;
  let handlers: SignalingHandlers | null = null;
  /** Socket events that came before attach(), in order: replayed once the page listens. */
  const unheard: Array<(to: SignalingHandlers) => void> = [];
  return {
    name: () => name(),
    heard(run) {
      if (handlers && unheard.length === 0) run(handlers);
      else unheard.push(run);
    },
    attach(page, pageName) {
      name = pageName;
      handlers = page;
      // One at a time: an event a replayed one causes (a disconnect) queues behind the rest.
      for (let run = unheard.shift(); run; run = unheard.shift()) run(page);
    },
  };
}
