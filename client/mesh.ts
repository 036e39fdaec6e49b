// The mesh: a reconciler that keeps one member object per other member of the room. It
// takes three streams that may arrive in any order — the server's room events, incoming
// signals, and what the links themselves say (a closed channel, a goodbye) — and decides
// what to create, replace or drop. It knows no features and no DOM: links come from a
// factory (fake ones in unit tests), features sit behind the router.
import type { IncomingSignal, PeerInfo, PeerJoined, PeerLeft } from '../protocol/index.ts';
import { foldName } from '../protocol/name-fold.ts';
import type { DisposeReason, MemberHandle } from './feature.ts';
import { heardWellAfter } from './heartbeat.ts';
import {
  createMember,
  type Handshake,
  type LinkConfig,
  type Member,
  type MemberNoticeKind,
  type MemberView,
} from './member.ts';
import type { SignalBody } from './negotiation.ts';
import type { Router } from './router.ts';

/**
 * A member whose signaling dropped while its link was down too gets this long to come back
 * (rejoin, or its link recovering) before it is forgotten. Its network may just have
 * blinked: keeping the link lets an ICE restart repair it instead of starting over.
 */
export const RETURN_GRACE_MS = 30_000;

/** What happened to a member, for the chat's system lines. */
export type MeshNotice =
  | { kind: Exclude<MemberNoticeKind, 'relayed' | 'silent'>; id: string; name: string }
  /**
   * Silent on its link. `alone`: another member was heard well after it was last heard, so
   * our network carried then and the silence is its own (outage.ts says so without waiting).
   */
  | { kind: 'silent'; id: string; name: string; alone: boolean }
  /** `key`: the signing key its join announced (the server's word), if any. */
  | { kind: 'joined'; id: string; name: string; key?: string | undefined }
  /** Silent on its own link, reached through `via` (member.ts). */
  | { kind: 'relayed'; id: string; name: string; via: string }
  /** `key`: the signing key its link's hello carried, if any. */
  | { kind: 'left'; id: string; name: string; reason: DisposeReason; key?: string | undefined }
  | { kind: 'renamed'; id: string; name: string; previous: string };

export interface MeshOptions {
  links: LinkConfig;
  handshake: Handshake;
  router: Router;
  sendSignal(to: string, body: SignalBody): void;
  /**
   * The member list changed (read it with members() when drawing); `now` when a member's
   * problem must be shown at once (member.ts).
   */
  changed(now: boolean): void;
  notice(notice: MeshNotice): void;
  returnGraceMs?: number;
}

export interface Mesh {
  /** Our peer id from the join ack; a different one than before resets every link. */
  setSelf(id: string): void;
  /**
   * The server keeps us out of the room (it is full: our seat was taken while we were away
   * from it): every link goes, quietly, and the members we had are not news when we are let
   * in again (the join ack lists them).
   */
  outside(): void;
  /**
   * The join ack's member list. After a rejoin (the server restarted, our connection
   * dropped) links that are down are repaired; on the first join there is nothing to repair.
   */
  sync(peers: readonly PeerInfo[], rejoin: boolean): void;
  peerJoined(peer: PeerJoined): void;
  peerLeft(left: PeerLeft): void;
  peerRenamed(peer: PeerInfo): void;
  signal(signal: IncomingSignal): void;
  /** Back on the network: repair what is down (a rejoin's sync repairs on its own). */
  retryAll(): void;
  /**
   * New ICE servers (renewed TURN credentials, a rejoin's): every link that can still use
   * them takes them, for its next ICE restart.
   */
  reconfigure(config: RTCConfiguration): void;
  members(): MemberView[];
  member(id: string): MemberHandle | undefined;
  /** Every live member object (for features that broadcast). */
  all(): Iterable<MemberHandle>;
  /** The member objects themselves, for the transport around links (relay.ts). */
  objects(): Iterable<Member>;
  object(id: string): Member | undefined;
  /** Path and round-trip time of every connected member (for the member list); tells when one changed. */
  refreshPaths(): Promise<void>;
  closeAll(reason: DisposeReason): void;
}

interface Entry {
  member: Member;
  /** Made on a signal before the server's peer:joined for it (possible across nodes). */
  awaitingJoin: boolean;
  /**
   * The server no longer has it (its signaling dropped, or a rejoin did not list it) while
   * its link was alive, or down but worth waiting for, so it was kept. Should that link go
   * silent (again), nothing else would ever drop it: it gets the return grace then, as if
   * both had dropped together.
   */
  offServer: boolean;
}

/**
 * Removals the chat does not announce ("X left"): ours, not the members' (we got a new id, the
 * server keeps us out, this page is going away).
 */
const QUIET: ReadonlySet<DisposeReason> = new Set(['ERR_SELF_RESET', 'ERR_SELF_OUTSIDE', 'ERR_PAGE_CLOSED']);

/** Name shown for a member we have a signal from but no peer:joined yet. */
const UNANNOUNCED_NAME = '…';

export function createMesh(options: MeshOptions): Mesh {
  const entries = new Map<string, Entry>();
  const graceMs = options.returnGraceMs ?? RETURN_GRACE_MS;
  let selfId = '';
  /**
   * Members dropped when the server gave us a new id: the join ack that follows lists them
   * again, and they were here all along, not news for the chat ("X joined").
   */
  let beforeReset = new Set<string>();
  /**
   * Their signing keys, with their names: a server restart without its secret gave them new
   * ids too, and one back under a new id with its key (the tab keeps it) and its name was
   * here all along, not news either. Each taken once; the next reset replaces them. (The key
   * is as announced, the server's word: at most a "joined" left unsaid for a member of that
   * name, which the list shows all the same.)
   */
  let resetKeys = new Map<string, string>();
  /** Whether the chat is to say this member joined: not one back from before our reset. */
  function news(peer: PeerInfo, rejoin: boolean): boolean {
    const key = peer.keys?.sign;
    if (key !== undefined && resetKeys.get(key) === foldName(peer.name)) {
      resetKeys.delete(key);
      return false;
    }
    return !rejoin || !beforeReset.has(peer.id);
  }
  /**
   * The server's word on the members it lists now (join ack, peer:joined and renames, less
   * peer:left): their names and announced keys. A member dropped on its link's word (its
   * channel closed, a goodbye) while still listed, that signals again, comes back under
   * them: its peer:joined will not come again.
   */
  const roster = new Map<string, PeerInfo>();

  const members = (): MemberView[] => [...entries.values()].map((e) => e.member.view());
  const changed = (now = false) => options.changed(now);

  /** `cameAfterUs`: announced to us as joining (or signalling before that), not listed at our join. */
  function add(id: string, name: string, awaitingJoin: boolean, cameAfterUs: boolean): Entry {
    const member: Member = createMember({
      selfId,
      id,
      name,
      cameAfterUs,
      links: options.links,
      handshake: options.handshake,
      router: options.router,
      sendSignal: options.sendSignal,
      changed: (now) => entries.get(id)?.member === member && changed(now),
      notice: (kind, via) => {
        const entry = entries.get(id);
        if (entry?.member !== member) return;
        if (kind === 'relayed') {
          if (via !== undefined) options.notice({ kind, id, name: member.name, via });
          return;
        }
        if (kind !== 'silent') {
          options.notice({ kind, id, name: member.name });
          return;
        }
        options.notice({ kind, id, name: member.name, alone: heardAfter(member) });
        if (entry.offServer) awaitReturn(entry);
      },
      gone: (reason) => entries.get(id)?.member === member && drop(id, reason),
    });
    const entry: Entry = { member, awaitingJoin, offServer: false };
    entries.set(id, entry);
    changed();
    return entry;
  }

  /**
   * Another member was heard on its link well after this one was last heard on its own
   * (heartbeat.ts): not both gone quiet at once, as when our own network goes.
   */
  function heardAfter(silent: Member): boolean {
    for (const { member } of entries.values()) {
      if (member !== silent && member.link.established && heardWellAfter(member.link.heardAt, silent.link.heardAt))
        return true;
    }
    return false;
  }

  /** The one way a member goes: dispose (links, timers, feature state), list, line. */
  function drop(id: string, reason: DisposeReason): void {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    entry.member.dispose(reason);
    const quiet = QUIET.has(reason) || entry.awaitingJoin;
    if (!quiet)
      options.notice({ kind: 'left', id, name: entry.member.name, reason, key: entry.member.key ?? undefined });
    changed();
  }

  /** Gives a member whose signaling and link are both down the grace to come back, then drops it. */
  function awaitReturn({ member }: Entry): void {
    member.awaitReturn(graceMs, () => {
      if (entries.get(member.id)?.member === member && !member.link.open) drop(member.id, 'ERR_RETURN_TIMEOUT');
    });
  }

  /**
   * The server says this member is here: a new member object, or the known one confirmed
   * (its return awaited no more, its server-given name). Returns the entry it already had,
   * if any. `news`: the member came after us, and the chat says so ("X joined") the first
   * time the server names it; those the join ack lists were here first, and the line that
   * says we joined names them already.
   */
  function known(peer: PeerInfo, news: boolean): Entry | undefined {
    roster.set(peer.id, peer);
    const entry = entries.get(peer.id);
    if (!entry) {
      if (news) dropNameTaken(peer);
      const added = add(peer.id, peer.name, false, news);
      // Said before anything the member's keys may make it say.
      if (news) options.notice({ kind: 'joined', id: peer.id, name: peer.name, key: peer.keys?.sign });
      added.member.announce(peer.keys);
      return undefined;
    }
    entry.member.announce(peer.keys);
    entry.offServer = false;
    entry.member.cancelReturn();
    entry.member.rename(peer.name);
    if (entry.awaitingJoin) {
      entry.awaitingJoin = false;
      if (news) options.notice({ kind: 'joined', id: peer.id, name: peer.name, key: peer.keys?.sign });
      changed();
    }
    return entry;
  }

  /**
   * A newcomer has the name of a member kept off the server and silent, awaiting its return
   * (its browser crashed, or its network went: its link may yet come back). The server gives
   * a name to one member at a time, so the one that had it is gone from the room: dropped now,
   * before the newcomer is said to join, instead of "left" at the end of its grace, ~30 s
   * after that (often the same person, opened again in a new browser: "Carol joined", then
   * "Carol left" while she was here).
   */
  function dropNameTaken(peer: PeerInfo): void {
    for (const [id, { member, offServer }] of entries) {
      if (id === peer.id || !offServer || member.name !== peer.name) continue;
      const { state } = member.view();
      if (state !== 'connected' && state !== 'relayed') drop(id, 'ERR_NAME_TAKEN');
    }
  }

  /**
   * Back on signaling (a rejoin, or the member's resumed peer:joined): a link that is down is
   * repaired, by ICE restart if it worked (same link, no churn), or started over if it never
   * opened (its negotiation was lost with the connection); one that works sends again an
   * offer still waiting for its answer.
   */
  function repair({ member }: Entry): void {
    // A link that works may still wait for the answer to an offer lost on the way (a call's
    // m-lines made while signaling was down): it goes again.
    if (member.link.open) {
      member.link.resendOffer();
      return;
    }
    if (member.link.established) member.link.restart();
    else member.replaceLink();
  }

  /** Every member goes, quietly (the change is ours, not theirs); the next join ack's are not news. */
  function dropAllQuietly(reason: DisposeReason): void {
    beforeReset = new Set([...beforeReset, ...entries.keys()]);
    resetKeys = new Map(
      [...entries.values()].flatMap(({ member }) =>
        member.key === null ? [] : [[member.key, foldName(member.name)] as const],
      ),
    );
    for (const peerId of [...entries.keys()]) drop(peerId, reason);
    roster.clear();
  }

  return {
    setSelf(id) {
      // The server gave us a new id (our resume ticket was not accepted): every other
      // member knows us under the old one, so every link starts over.
      if (selfId && selfId !== id) dropAllQuietly('ERR_SELF_RESET');
      selfId = id;
    },
    outside: () => dropAllQuietly('ERR_SELF_OUTSIDE'),
    sync(peers, rejoin) {
      roster.clear();
      const listed = new Set<string>();
      for (const peer of peers) {
        if (peer.id === selfId) continue;
        listed.add(peer.id);
        // On our first join everyone listed was here before us; after a rejoin, those we do
        // not know yet came while we were away.
        const entry = known(peer, rejoin && news(peer, rejoin));
        // We are back on signaling: links that are down get repaired.
        if (entry && rejoin) repair(entry);
      }
      // Not listed and no live channel: it left while we were away. Not listed with a live
      // channel: its signaling is down, P2P outlives it, until that channel goes quiet too.
      for (const [id, entry] of [...entries]) {
        if (listed.has(id)) continue;
        if (entry.member.link.open) entry.offServer = true;
        else drop(id, 'ERR_NOT_IN_ROOM');
      }
      beforeReset.clear();
    },
    peerJoined(peer) {
      if (peer.id === selfId) return;
      const entry = known(peer, news(peer, false));
      // Known already and not resumed: we learned of it twice (our join ack and its
      // announcement, when two join at once): nothing to repair. Resumed: it came back
      // (reload, reconnect) and our link to it may be down.
      if (entry && peer.resumed) repair(entry);
    },
    peerLeft({ id, reason }) {
      roster.delete(id);
      const entry = entries.get(id);
      if (!entry) return;
      const { member } = entry;
      if (reason === 'disconnect') {
        // Only its signaling dropped and the channel is alive: P2P outlives the server.
        if (member.link.open) {
          entry.offServer = true;
          return;
        }
        // Both are down, but the link worked: perhaps a network blip. Wait a while. Off the
        // server all the same: should the link recover (the wait ends) and go silent again,
        // that silence starts the wait anew.
        if (member.link.established) {
          entry.offServer = true;
          awaitReturn(entry);
          return;
        }
      }
      drop(id, 'ERR_PEER_LEFT');
    },
    peerRenamed(peer) {
      const listed = roster.get(peer.id);
      if (listed) roster.set(peer.id, { ...listed, name: peer.name });
      const entry = entries.get(peer.id);
      if (!entry || entry.member.name === peer.name) return;
      const previous = entry.member.name;
      entry.member.rename(peer.name);
      if (!entry.awaitingJoin) options.notice({ kind: 'renamed', id: peer.id, name: peer.name, previous });
    },
    signal({ from, description, candidate }) {
      if (from === selfId || !selfId) return;
      const body: SignalBody = {};
      if (description) body.description = description;
      if (candidate) body.candidate = candidate;
      // The server relays only within our room, so an unknown sender is a member dropped on
      // its link's word that the server still lists (back, under its name), or one whose
      // peer:joined we have not processed yet (or missed while reconnecting).
      const listed = roster.get(from);
      if (!entries.has(from) && listed) known(listed, true);
      const entry = entries.get(from) ?? add(from, UNANNOUNCED_NAME, true, true);
      if (entry.member.link.isFromNewSession(body)) {
        // A fresh link, and a fresh proof for its fingerprints.
        entry.member.newSession();
        // An answer answers an offer of the link just replaced: the new one negotiates anew
        // (the side that offers first offers at once; a reloaded page offers on its own).
        if (body.description?.type === 'answer') return;
      }
      entry.member.receiveSignal(body);
    },
    retryAll() {
      // A link still making its first connection is left to its own retries: a restart would
      // start its ICE over (and, before the first offer, has nothing to restart).
      for (const { member } of entries.values()) if (member.link.state !== 'connecting') member.link.restart();
    },
    reconfigure(config) {
      for (const { member } of entries.values()) {
        // A held member's link is closed for good, and a closed RTCPeerConnection throws on
        // setConfiguration: it has nothing to restart.
        if (member.held) continue;
        try {
          member.pc.setConfiguration(config);
        } catch (error) {
          // One link that refuses them must not keep the others on credentials about to expire.
          console.debug('roomlink: a link did not take the new ICE servers', error);
        }
      }
    },
    members,
    member: (id) => entries.get(id)?.member,
    *all() {
      for (const { member } of entries.values()) yield member;
    },
    *objects() {
      for (const { member } of entries.values()) yield member;
    },
    object: (id) => entries.get(id)?.member,
    async refreshPaths() {
      const live = [...entries.values()].map((e) => e.member);
      const read = await Promise.all(live.map((m) => m.refreshPath()));
      if (read.includes(true)) changed();
    },
    closeAll(reason) {
      for (const id of [...entries.keys()]) drop(id, reason);
    },
  };
}
