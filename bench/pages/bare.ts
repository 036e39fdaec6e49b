// The bare baseline: what the browser itself can do. Joins a room on the minimal relay
// (bench/browser/bare-server.ts), and with every other member opens an RTCPeerConnection
// with one negotiated data channel: the newcomer offers, the other answers, candidates
// trickle. No perfect negotiation, no verification, no acks, no DOM: the floor under
// roomlink's figures. Same recording as the probe (shared.ts), and the same timeline marks
// as roomlink's page where the two do the same step (client/timeline.ts: boot,
// socket-connected, join-ack, channel-open and line-shown per member), so the mesh bench
// prints where each spends its time side by side.
import { io } from 'socket.io-client';
// roomlink's own marker: the same names, each marked the first time only (a set lookup, so
// the mark on every message received keeps the baseline as light as it was).
import { mark } from '../../client/timeline.ts';
import { type BulkApi, createBulk } from './files.ts';
import { type BenchPageApi, burst, createRecorder, now, sendPaced } from './shared.ts';

interface RelaySocket {
  id: string | undefined;
  on(event: 'signal', listener: (message: { from: string; data: SignalData }) => void): void;
  on(event: 'connect', listener: () => void): void;
  emit(event: 'join', room: string, ack: (peers: string[]) => void): void;
  emit(event: 'signal', message: { to: string; data: SignalData }): void;
}

type SignalData = { description: RTCSessionDescriptionInit } | { candidate: RTCIceCandidateInit };

declare global {
  interface Window {
    __bench: BenchPageApi;
    __benchFiles: BulkApi;
  }
}

mark('boot');
const params = new URLSearchParams(location.search);
const room = params.get('room') ?? 'bare';
const recorder = createRecorder(Number(params.get('n') ?? '2') - 1);
const lineList = params.get('draw') === '1' ? createLineList() : null;
// The same transports as roomlink's client (WebSocket first).
const socket = io({ transports: ['websocket', 'polling'] }) as unknown as RelaySocket;
export const channels = new Map<string, RTCDataChannel>();
export const links = new Map<string, RTCPeerConnection>();
let selfId: string | null = null;
const bulk = createBulk(() => links.values());

/**
 * Extension points for a page built on this one (bare-calls.ts adds media); the plain bare
 * page leaves them as they are.
 */
export const bareHooks = {
  /** A text from a peer; true when the extension took it (it is then not recorded). */
  message: (_peerId: string, _text: string): boolean => false,
  /** A link was made. */
  created: (_peerId: string, _pc: RTCPeerConnection): void => {},
  /** A peer's offer is applied; the answer is made once this resolves. */
  beforeAnswer: async (_peerId: string, _pc: RTCPeerConnection): Promise<void> => {},
};

/**
 * `draw=1`: each line is also put on the page, as a chat must show it: a list item, the list
 * scrolled to it on the next frame (no layout forced in the listener), our own lines in the
 * task after their sending as roomlink's. The latency part measures this page beside the
 * plain one, which draws nothing: what showing a line costs any page.
 */
function createLineList(): { show(text: string): void } {
  const list = document.createElement('ol');
  list.style.cssText = 'height: 60vh; overflow: auto; margin: 0; font: 16px system-ui, sans-serif';
  document.body.append(list);
  let scrollAsked = false;
  return {
    show(text) {
      const item = document.createElement('li');
      item.textContent = text;
      list.append(item);
      if (scrollAsked) return;
      scrollAsked = true;
      requestAnimationFrame(() => {
        scrollAsked = false;
        list.scrollTop = list.scrollHeight;
      });
    },
  };
}

function markGone(peerId: string): void {
  if (recorder.record.gone[peerId] === undefined) recorder.record.gone[peerId] = now();
}

function link(peerId: string): RTCPeerConnection {
  const existing = links.get(peerId);
  if (existing) return existing;
  const pc = new RTCPeerConnection();
  links.set(peerId, pc);
  bulk.watch(pc);
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) socket.emit('signal', { to: peerId, data: { candidate: candidate.toJSON() } });
  };
  pc.onconnectionstatechange = () => {
    if (['disconnected', 'failed', 'closed'].includes(pc.connectionState)) markGone(peerId);
  };
  const channel = pc.createDataChannel('chat', { negotiated: true, id: 0 });
  channel.onopen = () => {
    mark('channel-open', peerId);
    channels.set(peerId, channel);
    channel.send(`mesh:${selfId ?? ''}`);
  };
  channel.onclose = () => markGone(peerId);
  channel.onmessage = (event: MessageEvent<string>) => {
    if (bareHooks.message(peerId, event.data)) return;
    lineList?.show(event.data);
    recorder.add(peerId, event.data, now());
    mark('line-shown', peerId);
  };
  bareHooks.created(peerId, pc);
  return pc;
}

/** Sends an offer to a peer (the newcomer to everyone; an extension adding tracks). */
export async function offer(peerId: string, pc: RTCPeerConnection): Promise<void> {
  await pc.setLocalDescription();
  if (pc.localDescription) socket.emit('signal', { to: peerId, data: { description: pc.localDescription.toJSON() } });
}

/** Signals of one peer are handled in order: a candidate waits for its description. */
const queues = new Map<string, Promise<void>>();

async function handle(from: string, data: SignalData): Promise<void> {
  const pc = link(from);
  if ('description' in data) {
    await pc.setRemoteDescription(data.description);
    if (data.description.type === 'offer') {
      await bareHooks.beforeAnswer(from, pc);
      await pc.setLocalDescription();
      if (pc.localDescription) socket.emit('signal', { to: from, data: { description: pc.localDescription.toJSON() } });
    }
  } else {
    await pc.addIceCandidate(data.candidate);
  }
}

socket.on('signal', ({ from, data }) => {
  const queued = (queues.get(from) ?? Promise.resolve()).then(() => handle(from, data)).catch(() => {});
  queues.set(from, queued);
});

socket.on('connect', () => {
  mark('socket-connected');
  selfId = socket.id ?? null;
  socket.emit('join', room, (peers) => {
    mark('join-ack');
    for (const peerId of peers) void offer(peerId, link(peerId));
  });
});

function broadcast(text: string): undefined {
  for (const channel of channels.values()) if (channel.readyState === 'open') channel.send(text);
  if (lineList) setTimeout(() => lineList.show(text), 0);
}

window.addEventListener('pagehide', () => {
  for (const pc of links.values()) pc.close();
});

window.__benchFiles = bulk.api;
window.__bench = {
  now,
  selfId: () => selfId,
  record: () => recorder.record,
  count: recorder.count,
  sendPaced: (count, intervalMs, prefix) => sendPaced(broadcast, count, intervalMs, prefix),
  burst: (count, prefix) => burst(broadcast, count, prefix),
};
