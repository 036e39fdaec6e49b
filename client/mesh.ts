// One PeerLink per member of the room. The mesh decides when links are made, replaced and
// dropped, from three sources that each may be first: the server's room events, the links'
// own state (channel close, heartbeat) and incoming signals.
import type { ChannelMessage, IceServer, IncomingSignal, PeerInfo, PeerLeft } from '../protocol/index.ts';
import { CHANNEL_PROTOCOL_VERSION } from '../protocol/index.ts';
import type { SignalOut } from './negotiation.ts';
import { createPeerLink, type LinkState, type PathInfo, type PeerLink, type UnreachableReason } from './peer.ts';
import { checkRoomKeyProof, proveRoomKey, type Verification } from './verify.ts';

/** How often the member list's path and round-trip time are refreshed. */
const PATH_REFRESH_MS = 2_000;
/**
 * A peer whose signaling dropped while its link was down too gets this long to come back
 * (rejoin, or its link recovering) before it is forgotten. Its network may just have
 * blinked: keeping the link lets an ICE restart repair it instead of starting over.
 */
const RETURN_GRACE_MS = 30_000;
/** Renew TURN credentials this long before they expire. */
const ICE_REFRESH_MARGIN_S = 300;

export interface Member {
  id: string;
  name: string;
  state: LinkState;
  reason: UnreachableReason | null;
  verification: Verification;
  path: PathInfo | null;
  /** False while the peer is silent (no heartbeat): hidden from the list until heard again. */
  visible: boolean;
}

interface Entry {
  member: Member;
  link: PeerLink;
  /** Made on a signal before the server's peer:joined for it arrived (possible across nodes). */
  awaitingJoin: boolean;
  /** Set while waiting for a disconnected peer to return (see RETURN_GRACE_MS). */
  returnTimer: ReturnType<typeof setTimeout> | null;
}

export interface MeshEvents {
  changed(members: Member[]): void;
  system(text: string, about: string): void;
  linkOpened(peerId: string): void;
  linkDrained(peerId: string): void;
  message(peerId: string, message: ChannelMessage): void;
  peerAdded(peerId: string): void;
  peerRemoved(peerId: string): void;
}

export interface MeshOptions {
  roomKey: string | null;
  relayOnly: boolean;
  selfName(): string;
  sendSignal(to: string, signal: SignalOut): void;
  refreshIce(): Promise<{ iceServers: IceServer[]; iceExpiresAt: number } | null>;
  events: MeshEvents;
}

export interface Mesh {
  setSelf(id: string): void;
  setIce(iceServers: IceServer[], iceExpiresAt: number): void;
  /** The join ack's list (on the first join and after each rejoin). */
  sync(peers: PeerInfo[]): void;
  peerJoined(peer: PeerInfo): void;
  peerLeft(left: PeerLeft): void;
  signal(signal: IncomingSignal): void;
  send(peerId: string, message: ChannelMessage): boolean;
  broadcast(message: ChannelMessage): void;
  retryAll(): void;
  members(): Member[];
  /** A member's display name, without copying the member list (called for every chat line). */
  nameOf(peerId: string): string | undefined;
  link(peerId: string): PeerLink | undefined;
  closeAll(): void;
}

export function createMesh(options: MeshOptions): Mesh {
  const { events } = options;
  const entries = new Map<string, Entry>();
  let selfId = '';
  let iceServers: IceServer[] = [];
  let iceExpiresAt = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  const changed = () => events.changed(members());
  const members = () => [...entries.values()].map((e) => ({ ...e.member }));

  function rtcConfig(): RTCConfiguration {
    return {
      iceServers: iceServers.map((s) => ({ ...s })),
      iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
    };
  }

  async function refreshIceIfExpiring(): Promise<void> {
    if (iceExpiresAt === 0 || iceExpiresAt - Date.now() / 1000 > ICE_REFRESH_MARGIN_S) return;
    const fresh = await options.refreshIce();
    if (fresh) setIce(fresh.iceServers, fresh.iceExpiresAt);
  }

  function setIce(servers: IceServer[], expiresAt: number): void {
    iceServers = servers;
    iceExpiresAt = expiresAt;
    for (const { link } of entries.values()) link.pc.setConfiguration(rtcConfig());
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = null;
    if (expiresAt > 0) {
      const inMs = Math.max(10_000, (expiresAt - ICE_REFRESH_MARGIN_S) * 1000 - Date.now());
      refreshTimer = setTimeout(() => void refreshIceIfExpiring(), inMs);
    }
  }

  function unreachableReason(lastIceError: string | null): UnreachableReason {
    const hasTurn = iceServers.some((s) => s.urls.some((u) => /^turns?:/.test(u)));
    if (options.relayOnly && !hasTurn) {
      return { code: 'relay-without-turn', text: 'relay-only mode is on, but this server offers no TURN server' };
    }
    if (lastIceError && /\b401\b/.test(lastIceError)) {
      return { code: 'turn-refused', text: `the TURN server refused our credentials: ${lastIceError}` };
    }
    if (!hasTurn) {
      return {
        code: 'no-turn',
        text: 'no direct path between your networks; they need a TURN server (see README, "Across networks")',
      };
    }
    return {
      code: 'turn-failed',
      text: `no path, not even through the TURN server${lastIceError ? `: ${lastIceError}` : ''}`,
    };
  }

  function createEntry(id: string, name: string, initiator: boolean): Entry {
    const member: Member = {
      id,
      name,
      state: 'connecting',
      reason: null,
      verification: 'unverified',
      path: null,
      visible: true,
    };
    const entry: Entry = { member, link: undefined as unknown as PeerLink, awaitingJoin: false, returnTimer: null };
    entry.link = createPeerLink({
      // Both sides compute the same roles from the two ids: exactly one of them is polite.
      polite: selfId < id,
      initiator,
      rtcConfig,
      beforeRestart: refreshIceIfExpiring,
      unreachableReason,
      events: {
        signal: (signal) => options.sendSignal(id, signal),
        state(state, reason) {
          if (entries.get(id) !== entry) return;
          member.state = state;
          member.reason = state === 'unreachable' ? reason : null;
          changed();
        },
        open() {
          if (entries.get(id) !== entry) return;
          void sayHello(entry);
          events.linkOpened(id);
        },
        drain: () => events.linkDrained(id),
        message: (message) => onMessage(entry, message),
        closed() {
          if (entries.get(id) === entry) remove(id, `${member.name} left`);
        },
        silent() {
          if (entries.get(id) !== entry) return;
          member.visible = false;
          events.system(`${member.name} is not responding`, id);
          changed();
        },
        heard() {
          if (entries.get(id) !== entry) return;
          cancelReturnWait(entry);
          member.visible = true;
          events.system(`${member.name} is back`, id);
          changed();
        },
      },
    });
    return entry;
  }

  async function sayHello(entry: Entry): Promise<void> {
    const proof = await proveRoomKey(options.roomKey, await entry.link.fingerprints());
    entry.link.send({
      t: 'hello',
      v: CHANNEL_PROTOCOL_VERSION,
      name: options.selfName(),
      ...(proof ? { proof } : {}),
    });
  }

  async function onMessage(entry: Entry, message: ChannelMessage): Promise<void> {
    const { member } = entry;
    if (entries.get(member.id) !== entry) return;
    switch (message.t) {
      case 'hello': {
        member.name = message.name;
        member.verification = await checkRoomKeyProof(options.roomKey, message.proof, await entry.link.fingerprints());
        if (entries.get(member.id) !== entry) return;
        if (member.verification === 'mismatch') {
          // Someone between us (the signaling server, say) replaced a fingerprint.
          events.system(`${member.name} could not prove it holds the room key: link closed`, member.id);
          remove(member.id, null);
          return;
        }
        changed();
        return;
      }
      case 'name':
        if (message.name !== member.name) {
          events.system(`${member.name} is now ${message.name}`, member.id);
          member.name = message.name;
          changed();
        }
        return;
      case 'bye':
        remove(member.id, `${member.name} left`);
        return;
      default:
        events.message(member.id, message);
    }
  }

  /**
   * initiator: we make the first offer. True for peers we learn of from our join ack (we are
   * the newcomer); false for peer:joined (the newcomer will offer) and for incoming offers.
   */
  function add(id: string, name: string, announce: boolean, initiator: boolean): Entry {
    const entry = createEntry(id, name, initiator);
    entries.set(id, entry);
    events.peerAdded(id);
    if (announce) events.system(`${name} joined`, id);
    changed();
    return entry;
  }

  /** Replaces the link (the other side started a new session) but keeps the member. */
  function replace(id: string, initiator: boolean): Entry | undefined {
    const old = entries.get(id);
    if (!old) return undefined;
    old.link.close();
    const entry = createEntry(id, old.member.name, initiator);
    entries.set(id, entry);
    changed();
    return entry;
  }

  function cancelReturnWait(entry: Entry): void {
    if (entry.returnTimer !== null) clearTimeout(entry.returnTimer);
    entry.returnTimer = null;
  }

  function remove(id: string, line: string | null): void {
    const entry = entries.get(id);
    if (!entry) return;
    cancelReturnWait(entry);
    entries.delete(id);
    entry.link.close();
    events.peerRemoved(id);
    if (line !== null && entry.member.visible) events.system(line, id);
    changed();
  }

  const pathTimer = setInterval(async () => {
    let any = false;
    for (const entry of entries.values()) {
      if (entry.member.state !== 'connected') continue;
      const path = await entry.link.path().catch(() => null);
      if (entries.get(entry.member.id) !== entry) continue;
      entry.member.path = path;
      any = true;
    }
    if (any) changed();
  }, PATH_REFRESH_MS);

  return {
    setSelf(id) {
      if (selfId && selfId !== id) {
        // The server gave us a new id (our resume ticket was not accepted): every other
        // peer knows us under the old one, so every link starts over.
        for (const peerId of [...entries.keys()]) remove(peerId, null);
      }
      selfId = id;
    },
    setIce,
    sync(peers) {
      const listed = new Set(peers.map((p) => p.id));
      for (const peer of peers) {
        if (peer.id === selfId) continue;
        const entry = entries.get(peer.id);
        if (!entry) add(peer.id, peer.name, false, true);
        else if (entry.link.open) continue;
        // We are back on signaling: repair what worked before by ICE restart (same link, no
        // churn); a link that never opened may have lost its offer with the connection.
        else if (entry.link.established) entry.link.restart();
        else replace(peer.id, true);
      }
      // Not in the list and no live channel: it left while we were away.
      for (const [id, entry] of entries) {
        if (!listed.has(id) && !entry.link.open) remove(id, `${entry.member.name} left`);
      }
    },
    peerJoined(peer) {
      if (peer.id === selfId) return;
      const entry = entries.get(peer.id);
      if (entry) cancelReturnWait(entry);
      if (!entry) {
        add(peer.id, peer.name, true, false);
      } else if (entry.awaitingJoin) {
        entry.awaitingJoin = false;
        entry.member.name = peer.name;
        events.system(`${peer.name} joined`, peer.id);
        changed();
      } else if (!entry.link.open && !entry.link.established) {
        // Known, but its link never opened: whatever was negotiated is lost; the newcomer
        // will offer on a new link. (An established link is repaired by the one that came
        // back, through an ICE restart; a reloaded page shows up as a new DTLS session.)
        replace(peer.id, false);
      }
    },
    peerLeft({ id, reason }) {
      const entry = entries.get(id);
      if (!entry) return;
      if (reason === 'disconnect') {
        // Only its signaling dropped and the channel is alive: P2P outlives the server.
        if (entry.link.open) return;
        // Both are down, but the link worked: perhaps a network blip. Wait a while.
        if (entry.link.established) {
          entry.returnTimer ??= setTimeout(() => {
            if (entries.get(id) === entry && !entry.link.open) remove(id, `${entry.member.name} left`);
          }, RETURN_GRACE_MS);
          return;
        }
      }
      remove(id, `${entry.member.name} left`);
    },
    signal(signal) {
      const { from, description, candidate } = signal;
      if (from === selfId) return;
      const out: SignalOut = {};
      if (description) out.description = description;
      if (candidate) out.candidate = candidate;
      let entry = entries.get(from);
      // The server relays only within our room, so an unknown sender is a member whose
      // peer:joined we have not processed (or missed while reconnecting).
      if (!entry) {
        entry = add(from, 'Someone', false, false);
        entry.awaitingJoin = true;
      } else if (entry.link.isFromNewSession(out)) entry = replace(from, false) ?? entry;
      entry.link.receive(out);
    },
    send(peerId, message) {
      const link = entries.get(peerId)?.link;
      if (!link) return false;
      // Chat respects backpressure; control messages (acks) are tiny and always go.
      if (message.t === 'chat' && !link.writable) return false;
      return link.send(message);
    },
    broadcast(message) {
      for (const { link } of entries.values()) link.send(message);
    },
    retryAll() {
      for (const { link } of entries.values()) link.restart();
    },
    members,
    nameOf: (peerId) => entries.get(peerId)?.member.name,
    link: (peerId) => entries.get(peerId)?.link,
    closeAll() {
      clearInterval(pathTimer);
      if (refreshTimer !== null) clearTimeout(refreshTimer);
      for (const { link } of entries.values()) link.close();
    },
  };
}
