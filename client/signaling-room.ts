// Whether we are in the room, and what the server says happens in it: members joining,
// leaving and renamed, and their signals. Each is parsed (a malformed one never reaches the
// page) and held until our join's answer is in.
import { parseIncomingSignal, parsePeerInfo, parsePeerJoined, parsePeerLeft } from '../protocol/server-events.ts';
import type { SignalingPage } from './signaling-page.ts';
import type { SignalingSocket } from './signaling-socket.ts';
import { mark } from './timeline.ts';

export interface SignalingRoomOptions {
  socket: SignalingSocket;
  heard: SignalingPage['heard'];
  malformed(event: string): void;
}

export interface SignalingRoom {
  inRoom(): boolean;
  /**
   * Our join's answer let us in: in the room from now on, `welcome` does what the answer
   * means, then the room events that came before it are delivered, in order.
   */
  enter(welcome: () => void): void;
  /** The connection went: out of the room, and the events held for it are dropped. */
  out(): void;
}

export function createSignalingRoom({ socket, heard, malformed }: SignalingRoomOptions): SignalingRoom {
  let inRoom = false;
  // Room events that arrive before our join ack: possible when two people join at once
  // (the other one may learn of us and signal before our own ack is processed). They are
  // held and replayed right after the ack, when we know our id and may send answers.
  let early: Array<() => void> = [];
  const whenInRoom = (deliver: () => void) => {
    if (inRoom) deliver();
    else early.push(deliver);
  };

  // What the server says is parsed as anything from outside is (protocol/server-events.ts).
  socket.on('peer:joined', (raw) => {
    const peer = parsePeerJoined(raw);
    if (peer === null) return malformed('peer:joined');
    mark('peer-joined', peer.id);
    heard((to) => whenInRoom(() => to.onPeerJoined(peer)));
  });
  socket.on('peer:left', (raw) => {
    const peerLeft = parsePeerLeft(raw);
    if (peerLeft === null) return malformed('peer:left');
    heard((to) => whenInRoom(() => to.onPeerLeft(peerLeft)));
  });
  socket.on('peer:renamed', (raw) => {
    const peer = parsePeerInfo(raw);
    if (peer === null) return malformed('peer:renamed');
    heard((to) => whenInRoom(() => to.onPeerRenamed(peer)));
  });
  socket.on('signal', (raw) => {
    const signal = parseIncomingSignal(raw);
    if (signal === null) return malformed('signal');
    heard((to) => whenInRoom(() => to.onSignal(signal)));
  });

  return {
    inRoom: () => inRoom,
    enter(welcome) {
      inRoom = true;
      welcome();
      for (const deliver of early.splice(0)) deliver();
    },
    out() {
      inRoom = false;
      early = [];
    },
  };
}
