// Wires the page together: room link → signaling → mesh (member objects, links) → router →
// features → view. The socket starts first: joining is what the page waits on longest.
import { normalizeName, type PeerInfo } from '../protocol/index.ts';
import { MEDIA_PROBLEM_TEXT } from './calls/media-errors.ts';
import { describeQuality, incomingVideoQuality, type MediaQuality } from './calls/stats.ts';
import { createCalls } from './features/calls.ts';
import { createChat } from './features/chat.ts';
import { friendlyName } from './friendly-name.ts';
import { createIce } from './ice.ts';
import { createLink, linkCounters, selectedPath } from './link.ts';
import { createMesh, type MeshNotice } from './mesh.ts';
import { resolveRoomLink } from './room-link.ts';
import { createRouter } from './router.ts';
import { createSignaling, type Signaling } from './signaling.ts';
import { loadName, loadResume, saveName, saveResume } from './storage.ts';
import { createHandshake } from './verify.ts';
import { createCallsView } from './view/calls.ts';
import { createLinesView } from './view/lines.ts';
import { createMembersView } from './view/members.ts';
import { createPageView } from './view/page.ts';

/** How often the member list's path and round-trip time are refreshed. */
const PATH_REFRESH_MS = 2_000;

const link = resolveRoomLink(window.location, window.history);
// A first-time visitor gets a friendly name at once (and keeps it); nobody is prompted.
let name = loadName() ?? friendlyName();
saveName(name);
let selfId: string | null = null;
/** A name chosen while the join was in flight: applied by a rename once joined. */
let pendingName: string | null = null;

const signaling: Signaling | null =
  link.invalidRoomId === null
    ? createSignaling({
        roomId: link.roomId,
        name: () => name,
        resume: () => loadResume(link.roomId),
        handlers: {
          onJoined(ack, rejoin) {
            selfId = ack.self.id;
            name = ack.self.name;
            saveResume(link.roomId, ack.resume);
            mesh.setSelf(ack.self.id);
            ice.set(ack);
            members.setSelf(selfId, name);
            page.setName(name);
            if (!rejoin) system(joinedLine(ack.peers));
            mesh.sync(ack.peers, rejoin);
            // Back on signaling: links that were stuck may work now.
            if (rejoin) mesh.retryAll();
            if (pendingName !== null) {
              const wanted = pendingName;
              pendingName = null;
              void rename(wanted);
            }
          },
          onPeerJoined: (peer) => mesh.peerJoined(peer),
          onPeerLeft: (left) => mesh.peerLeft(left),
          onPeerRenamed: (peer) => mesh.peerRenamed(peer),
          onSignal: (signal) => mesh.signal(signal),
          onNameTaken(error) {
            const taken = name;
            name = error.suggestion ?? `${taken} ${2 + Math.floor(Math.random() * 98)}`;
            saveName(name);
            page.setName(name);
            page.nameHint(`“${taken}” is taken in this room, so you are “${name}”. Change it any time.`);
            return true;
          },
          onStatus(status, error) {
            if (status === 'rejected' && error) {
              page.setStatus(status, `Could not join: ${error.message}`);
              return;
            }
            page.setStatus(status);
          },
        },
      })
    : null;

async function rename(raw: string): Promise<void> {
  const result = normalizeName(raw);
  if (!result.ok) {
    page.nameHint(`That name does not work: ${result.reason}.`, true);
    return;
  }
  if (result.name === name) return;
  if (selfId === null || !signaling) {
    // Not in the room yet: the join carries it, or a rename right after the join does.
    name = result.name;
    pendingName = name;
    saveName(name);
    page.nameHint(null);
    return;
  }
  const ack = await signaling.rename(result.name).catch(() => null);
  if (!ack?.ok) {
    const error = ack?.error;
    const hint =
      error?.code === 'name_taken'
        ? `Someone here is already “${result.name}”.${error.suggestion ? ` “${error.suggestion}” is free.` : ''}`
        : `Could not rename: ${error?.message ?? 'the server did not answer'}.`;
    page.nameHint(hint, true);
    return;
  }
  name = ack.name;
  saveName(name);
  page.nameHint(null);
  page.setName(name);
  members.setSelf(selfId, name);
  system(`You are now ${name}`);
}

const page = createPageView({
  rename: (raw) => void rename(raw),
  send: (text) => void chat.send(text),
});
const members = createMembersView();
const lines = createLinesView();

const ice = createIce({
  relayOnly: link.relayOnly,
  async refresh() {
    const ack = await signaling?.refreshIce().catch(() => null);
    return ack?.ok ? ack : null;
  },
  updated() {
    for (const member of mesh.all()) member.pc.setConfiguration(ice.rtcConfig());
  },
});

const chat = createChat({
  selfId: () => selfId ?? '',
  members: () => mesh.all(),
  display: (line) => lines.append(line, line.own ? name : (mesh.member(line.from)?.name ?? 'Someone')),
});

const callsView = createCallsView({
  join: (video) => void calls.join(video),
  mute: () => calls.toggleMute(),
  camera: () => void calls.toggleCamera(),
  screen: () => void calls.toggleScreen(),
  leave: () => calls.leave(),
  quality: async (peerId) => describeQuality(await callQuality(peerId)),
});
const calls = createCalls({
  selfId: () => selfId ?? '',
  members: () => mesh.all(),
  changed: () => renderCall(),
  notify: (text) => callsView.message(text),
});

function renderCall(): void {
  const paths = new Map(mesh.members().map((m) => [m.id, m.path?.relayed ?? false]));
  callsView.render({
    supported: calls.supported(),
    busy: calls.busy(),
    self: calls.self(),
    selfName: name,
    preview: calls.preview(),
    participants: calls.participants(),
    relayed: (peerId) => paths.get(peerId) ?? false,
  });
}

async function callQuality(peerId: string): Promise<MediaQuality | null> {
  const pc = mesh.member(peerId)?.pc;
  return pc ? incomingVideoQuality(pc) : null;
}

const mesh = createMesh({
  links: {
    createLink,
    rtcConfig: () => ice.rtcConfig(),
    beforeRestart: () => ice.refreshIfExpiring(),
    unreachableReason: (lastIceError) => ice.unreachableReason(lastIceError),
  },
  handshake: createHandshake(link.key),
  router: createRouter([chat.feature, calls.feature]),
  sendSignal: (to, body) => signaling?.send({ to, ...body }),
  changed(list) {
    members.render(list);
    renderCall();
  },
  notice: (notice) => {
    const text = noticeText(notice);
    if (text) system(text, notice.id);
  },
});

function system(text: string, about = ''): void {
  lines.append(
    {
      kind: 'system',
      id: crypto.randomUUID?.() ?? String(Math.random()),
      from: about,
      ts: Date.now(),
      text,
      own: false,
    },
    '',
  );
}

function noticeText(notice: MeshNotice): string | null {
  switch (notice.kind) {
    case 'joined':
      return `${notice.name} joined`;
    case 'left':
      return `${notice.name} left`;
    case 'silent':
      return `${notice.name} is not responding`;
    case 'back':
      return `${notice.name} is back`;
    case 'renamed':
      return `${notice.previous} is now ${notice.name}`;
    case 'intercepted':
      return null; // shown on the member's entry, where a peer cannot fake it
  }
}

function joinedLine(peers: readonly PeerInfo[]): string {
  const others = peers.filter((p) => p.id !== selfId);
  if (others.length === 0) return 'You started this room. Share the link to invite people.';
  return `You joined as ${name}. Here: ${others.map((p) => p.name).join(', ')}.`;
}

page.setShareLink(link.shareUrl);
renderCall();
if (!calls.supported()) callsView.message(MEDIA_PROBLEM_TEXT.insecure);
page.setName(name);
members.setSelf(null, name);
if (link.invalidRoomId !== null) {
  page.fatal('This link’s room id is malformed. Check the link, or open the site without one to start a new room.');
} else {
  page.setStatus('connecting');
}
const pathTimer = setInterval(() => void mesh.refreshPaths(), PATH_REFRESH_MS);

window.addEventListener('pagehide', () => {
  calls.leave();
  for (const member of mesh.all()) member.send({ t: 'bye' });
  signaling?.leave();
  clearInterval(pathTimer);
  ice.stop();
  mesh.closeAll('ERR_PAGE_CLOSED');
});
window.addEventListener('pageshow', (event) => {
  // Restored from the back/forward cache with every link closed: start afresh.
  if (event.persisted) window.location.reload();
});
window.addEventListener('online', () => mesh.retryAll());

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
      callStats(peerId: string): Promise<MediaQuality | null>;
      /** One line per transceiver of the link to this member: mid, kind, directions, tracks. */
      transceivers(peerId: string): string[];
    };
  }
}
window.roomlink = {
  selfId: () => selfId,
  closeAll: () => mesh.closeAll('ERR_PAGE_CLOSED'),
  async selectedPair(peerId) {
    const pc = mesh.member(peerId)?.pc;
    const path = pc ? selectedPath(await pc.getStats()) : null;
    return path ? { local: path.local, remote: path.remote } : null;
  },
  pending: (peerId) => chat.pending(mesh.member(peerId)),
  counters: () => ({ ...linkCounters }),
  callStats: callQuality,
  transceivers: (peerId) =>
    (mesh.member(peerId)?.pc.getTransceivers() ?? []).map(
      (t) =>
        `${t.mid} ${t.receiver.track.kind} ${t.direction}/${t.currentDirection} send=${t.sender.track?.readyState ?? 'none'} recv=${t.receiver.track.muted ? 'muted' : 'flowing'}`,
    ),
  links: () =>
    mesh.members().map((m) => {
      const pc = mesh.member(m.id)?.pc;
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
