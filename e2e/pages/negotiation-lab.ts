// Two RTCPeerConnections in one page, joined by client/negotiation.ts exactly as two
// members' links are, with a signal pipe the test can cut in either direction: what a
// signaling connection lost mid-renegotiation does to perfect negotiation, without a room,
// a server or timing luck. e2e/negotiation.spec.ts bundles this file and drives it.

import { prepareMedia } from '../../client/calls/senders.ts';
import { createNegotiator, iceUfrag, type Negotiator, type SignalBody } from '../../client/negotiation.ts';
import type { NegotiationLab, SideName, SideState } from '../support/negotiation-lab-types.ts';

interface Side {
  readonly pc: RTCPeerConnection;
  readonly channel: RTCDataChannel;
  readonly negotiator: Negotiator;
  readonly received: string[];
  readonly failures: string[];
}

const cut: Record<SideName, boolean> = { a: false, b: false };
/** Signals held back per sender while its pipe is held; null when it is not. */
const held: Record<SideName, SignalBody[] | null> = { a: null, b: null };
const sides = new Map<SideName, Side>();

function other(name: SideName): SideName {
  return name === 'a' ? 'b' : 'a';
}

function makeSide(name: SideName): Side {
  // a is the member with the smaller id: it offers first and is impolite (client/roles.ts).
  const offersFirst = name === 'a';
  const pc = new RTCPeerConnection();
  const channel = pc.createDataChannel('chat', { negotiated: true, id: 0, ordered: true });
  const received: string[] = [];
  const failures: string[] = [];
  channel.addEventListener('message', ({ data }) => received.push(String(data)));
  const negotiator = createNegotiator({
    pc,
    polite: !offersFirst,
    offersFirst,
    // Signals from a side whose pipe is cut are lost, as over a dropped socket.
    send(signal: SignalBody) {
      if (cut[name]) return;
      const queue = held[name];
      if (queue) queue.push(signal);
      else queueMicrotask(() => sides.get(other(name))?.negotiator.receive(signal));
    },
    onFailure(stage, error) {
      failures.push(`${stage}: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  return { pc, channel, negotiator, received, failures };
}

function side(name: SideName): Side {
  const found = sides.get(name);
  if (!found) throw new Error(`no side ${name}: call start() first`);
  return found;
}

function mids(description: RTCSessionDescription | null): string[] {
  return [...(description?.sdp ?? '').matchAll(/^a=mid:(\S+)/gm)].map((match) => match[1] ?? '');
}

const lab: NegotiationLab = {
  start(): void {
    for (const pc of [...sides.values()].map((s) => s.pc)) pc.close();
    sides.clear();
    cut.a = false;
    cut.b = false;
    held.a = null;
    held.b = null;
    sides.set('a', makeSide('a'));
    sides.set('b', makeSide('b'));
  },
  cutPipe(name: SideName, isCut: boolean): void {
    cut[name] = isCut;
  },
  holdPipe(name: SideName): void {
    held[name] ??= [];
  },
  releasePipe(name: SideName): void {
    const queue = held[name] ?? [];
    held[name] = null;
    const receiver = sides.get(other(name))?.negotiator;
    for (const signal of queue) receiver?.receive(signal);
  },
  prepareMedia(name: SideName): void {
    prepareMedia(side(name).pc);
  },
  addTrack(name: SideName): void {
    // A canvas's track stands in for a screen: what sendTrack adds with addTrack the first time.
    const canvas = document.createElement('canvas');
    const stream = canvas.captureStream();
    const [track] = stream.getVideoTracks();
    if (track) side(name).pc.addTrack(track, stream);
  },
  restartIce(name: SideName): void {
    side(name).negotiator.restartIce();
  },
  send(name: SideName, text: string): void {
    side(name).channel.send(text);
  },
  state(name: SideName): SideState {
    const { pc, channel, received, failures } = side(name);
    return {
      signalingState: pc.signalingState,
      connectionState: pc.connectionState,
      channelState: channel.readyState,
      localMids: mids(pc.currentLocalDescription),
      remoteMids: mids(pc.currentRemoteDescription),
      transceivers: pc.getTransceivers().length,
      localUfrag: iceUfrag(pc.currentLocalDescription?.sdp),
      remoteUfrag: iceUfrag(pc.currentRemoteDescription?.sdp),
      received: [...received],
      failures: [...failures],
    };
  },
};

(globalThis as unknown as { negotiationLab: NegotiationLab }).negotiationLab = lab;
