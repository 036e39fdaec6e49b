// Wires the page together: room link → signaling → mesh → chat → view.
import { normalizeName, type PeerInfo } from '../protocol/index.ts';
import { createChat } from './chat.ts';
import { createMesh, type Mesh } from './mesh.ts';
import { linkCounters } from './peer.ts';
import { resolveRoomLink } from './room-link.ts';
import { createSignaling, type Signaling } from './signaling.ts';
import { loadName, loadResume, saveName, saveResume } from './storage.ts';
import { createView } from './view.ts';

const link = resolveRoomLink(window.location, window.history);
let name = loadName() ?? '';
let selfId: string | null = null;
let signaling: Signaling | null = null;
let mesh: Mesh | null = null;

const view = createView({
  submitName(raw) {
    const result = normalizeName(raw);
    if (!result.ok) {
      view.nameError(`That name does not work: ${result.reason}.`);
      return;
    }
    view.nameError(null);
    const previous = name;
    name = result.name;
    saveName(name);
    view.setSelf(selfId, name);
    if (!signaling) start();
    else if (previous !== name) {
      mesh?.broadcast({ t: 'name', name });
      chat.system(`You are now ${name}`);
    }
  },
  sendMessage(text) {
    chat.send(text);
  },
});

const chat = createChat({
  selfId: () => selfId ?? '',
  transmit: (peerId, message) => mesh?.send(peerId, message) ?? false,
  display: (line) => view.appendLine(line, nameOf(line.from)),
});

function nameOf(peerId: string): string {
  if (peerId === selfId) return name;
  return mesh?.nameOf(peerId) ?? 'Someone';
}

function start(): void {
  const roomMesh = createMesh({
    roomKey: link.key,
    relayOnly: link.relayOnly,
    selfName: () => name,
    sendSignal: (to, signal) => signaling?.send({ to, ...signal }),
    refreshIce: async () => {
      const ack = await signaling?.refreshIce().catch(() => null);
      return ack?.ok ? ack : null;
    },
    events: {
      changed: (members) => view.renderMembers(members),
      system: (text, about) => chat.system(text, about),
      linkOpened: (peerId) => chat.channelOpened(peerId),
      linkDrained: (peerId) => chat.flush(peerId),
      message: (peerId, message) => chat.receive(peerId, message),
      peerAdded: (peerId) => chat.addPeer(peerId),
      peerRemoved: (peerId) => chat.removePeer(peerId),
    },
  });
  mesh = roomMesh;
  signaling = createSignaling({
    roomId: link.roomId,
    name: () => name,
    resume: () => loadResume(link.roomId),
    handlers: {
      onJoined(ack, rejoin) {
        selfId = ack.self.id;
        saveResume(link.roomId, ack.resume);
        roomMesh.setSelf(ack.self.id);
        roomMesh.setIce(ack.iceServers, ack.iceExpiresAt);
        view.setSelf(selfId, name);
        view.setJoined(true);
        if (!rejoin) chat.system(joinedLine(ack.peers));
        roomMesh.sync(ack.peers);
        // Back on signaling: links that were stuck may work now.
        if (rejoin) roomMesh.retryAll();
      },
      onPeerJoined: (peer) => roomMesh.peerJoined(peer),
      onPeerLeft: (left) => roomMesh.peerLeft(left),
      onSignal: (signal) => roomMesh.signal(signal),
      onStatus(status, error) {
        if (status === 'rejected' && error) {
          if (error.code === 'invalid_name') view.nameError(`The server refused that name: ${error.message}.`);
          view.setStatus(status, `Could not join: ${error.message}`);
          return;
        }
        view.setStatus(status);
      },
    },
  });
}

function joinedLine(peers: PeerInfo[]): string {
  if (peers.length === 0) return 'You started this room. Share the link to invite people.';
  const names = peers.map((p) => p.name).join(', ');
  return `You joined. Here: ${names}.`;
}

view.setShareLink(link.shareUrl);
view.setSelf(null, name || 'You');
view.setJoined(false);
if (link.invalidRoomId !== null) {
  view.fatal('This link’s room id is malformed. Check the link, or open the site without one to start a new room.');
} else if (name) {
  (document.querySelector('[data-testid="name-input"]') as HTMLInputElement).value = name;
  view.setStatus('connecting');
  start();
} else {
  view.setStatus('connecting', 'Choose a name to join the room.');
  (document.querySelector('[data-testid="name-input"]') as HTMLInputElement).focus();
}

window.addEventListener('pagehide', () => {
  mesh?.broadcast({ t: 'bye' });
  signaling?.leave();
  mesh?.closeAll();
});
window.addEventListener('pageshow', (event) => {
  // Restored from the back/forward cache with every link closed: start afresh.
  if (event.persisted) window.location.reload();
});
window.addEventListener('online', () => mesh?.retryAll());

// Debug and test handle (stable: the e2e tests and benchmarks use it).
declare global {
  interface Window {
    roomlink: {
      selfId(): string | null;
      closeAll(): void;
      selectedPair(peerId: string): Promise<{ local: string; remote: string } | null>;
      pending(peerId: string): number;
      links(): Array<Record<string, string | boolean>>;
      counters(): { created: number; iceRestarts: number };
    };
  }
}
window.roomlink = {
  selfId: () => selfId,
  closeAll: () => mesh?.closeAll(),
  async selectedPair(peerId) {
    const path = await mesh?.link(peerId)?.path();
    return path ? { local: path.local, remote: path.remote } : null;
  },
  pending: (peerId) => chat.pending(peerId),
  counters: () => ({ ...linkCounters }),
  links: () =>
    (mesh?.members() ?? []).map((m) => {
      const pc = mesh?.link(m.id)?.pc;
      return {
        id: m.id,
        name: m.name,
        state: m.state,
        signaling: pc?.signalingState ?? '',
        connection: pc?.connectionState ?? '',
        ice: pc?.iceConnectionState ?? '',
        gathering: pc?.iceGatheringState ?? '',
        remote: Boolean(pc?.currentRemoteDescription),
      };
    }),
};
