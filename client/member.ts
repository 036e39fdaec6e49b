// One object per remote member: it owns the member's link, its entry in the member list and
// every feature's per-member state (slots). It is made and disposed through one path; after
// dispose() every handler does nothing, and the reason code says why it went. Its parts are
// modules of their own (member-*.ts), one concept each, wired together here.
import type { ChannelMessage, PeerKeys } from '../protocol/index.ts';
import type { DisposeReason, MemberHandle, SlotKey } from './feature.ts';
import type { Link } from './link.ts';
import { createAnnouncedKeys } from './member-announced.ts';
import { createGate } from './member-gate.ts';
import { createHold } from './member-hold.ts';
import { createMemberKey } from './member-key.ts';
import { createKeyHold } from './member-key-hold.ts';
import { createMemberLink, type LinkConfig } from './member-link.ts';
import { createMemberMessages } from './member-messages.ts';
import { createPresence } from './member-presence.ts';
import { ANNOUNCED_KEY_MISMATCH, type MemberProblem } from './member-problems.ts';
import { createProof, type Handshake } from './member-proof.ts';
import { createMemberRoute, type RelayRoute } from './member-route.ts';
import { type MemberView, memberView } from './member-view.ts';
import type { SignalBody } from './negotiation.ts';
import type { Router } from './router.ts';

export type { MemberProblem } from './member-problems.ts';
export type { Handshake, LinkConfig, MemberView, RelayRoute };

/**
 * Worth a line in the chat: silent on its link, back, its link intercepted, or heard through
 * another member while silent on its own link (relayed).
 */
export type MemberNoticeKind = 'silent' | 'back' | 'intercepted' | 'relayed';

export interface MemberOptions {
  selfId: string;
  id: string;
  name: string;
  /** It joined after us (feature.ts MemberHandle). */
  cameAfterUs: boolean;
  links: LinkConfig;
  handshake: Handshake;
  router: Router;
  sendSignal(to: string, body: SignalBody): void;
  /**
   * Something the member list shows changed. `now`: a problem to show as it happens (muted,
   * cut off), not with the list's next calm redraw (view/calm.ts: up to a quarter second).
   */
  changed(now?: boolean): void;
  /** Something worth a line in the chat happened to this member; `via`: the relay that carried it ('relayed'). */
  notice(kind: MemberNoticeKind, via?: string): void;
  /** The link says the member is gone (channel closed, goodbye): the mesh disposes it. */
  gone(reason: DisposeReason): void;
}

export interface Member extends MemberHandle {
  readonly link: Link;
  /**
   * This page stopped listening to it for good (cut for flooding, its link intercepted or
   * carrying another key than announced): nothing from it is taken, through a relay neither.
   */
  readonly held: boolean;
  view(): MemberView;
  rename(name: string): void;
  receiveSignal(body: SignalBody): void;
  /** A new link, same member and slots (one that never opened starts over; a failed proof's retry). */
  replaceLink(): void;
  /**
   * The other side started a new session (it reloaded, or someone between us answers in its
   * name): a new link, with a proof of its own, within NEW_SESSIONS (member-hold.ts); past
   * it, held as a flooder.
   */
  newSession(): void;
  /** Keeps the member for `ms` while it may come back; then calls onTimeout. */
  awaitReturn(ms: number, onTimeout: () => void): void;
  cancelReturn(): void;
  /** Reads the path of a connected member's link; true when it changed (link.ts, samePath). */
  refreshPath(): Promise<boolean>;
  /** The keys the server says it announced with its join (checked here with the room key). */
  announce(keys: PeerKeys | undefined): void;
  /** Its announced keys once proven with the room key, else null: what relaying needs. */
  readonly announced: PeerKeys | null;
  /** A message it sealed with these announced keys opened: it may prove it holds its key (member-key-hold.ts). */
  sealedOpened(keys: PeerKeys): void;
  /** The route relay-route.ts chose while there is no direct link (null: none). */
  setRoute(route: RelayRoute | null): void;
  /**
   * A message it sealed came through `via` (relay-inbox.ts): silent on its own link, it is
   * heard all the same, and the chat says so once (outage.ts, reached), naming the member that
   * carried it. On its word, not on a relay's: a relay that says it links to a member gone
   * would have had it "back".
   */
  heardThroughRelay(via: string): void;
  /** Our direct link's round-trip time when known (relays are picked by it). */
  readonly rttMs: number | null;
  dispose(reason: DisposeReason): void;
}

export function createMember(options: MemberOptions): Member {
  const { id, router, handshake } = options;
  const slots = new Map<SlotKey<unknown>, unknown>();
  let name = options.name;
  let disposed = false;
  const isDisposed = (): boolean => disposed;
  const changed = (now?: boolean): void => options.changed(now);
  // What the features hear of this member (router.ts).
  const dispatch = (message: ChannelMessage): void => router.dispatch(handle, message);
  const opened = (): void => router.opened(handle);

  /** What the current link's feature messages get while its hello is checked (member-gate.ts). */
  const gate = createGate();
  /**
   * The member that carried a message of its while its direct link does not carry, since that
   * link last fell silent (heardThroughRelay); null: none. `viaSaid`: the chat said so.
   */
  let heardVia: string | null = null;
  let viaSaid = false;
  /** Heard, silent, or awaited back (member-presence.ts). */
  const presence = createPresence({ disposed: isDisposed, notice: options.notice, changed });
  /** This page's verdicts on the member: muted, held for good, shut (member-hold.ts). */
  const hold = createHold({
    disposed: isDisposed,
    unproven: () => handshake.canProve && proof.heard && proof.verification === 'unverified',
    changed,
    stop() {
      gate.shut();
      direct.stop();
    },
    tellShut: () => router.shut(handle),
  });
  /** Its link may be intercepted: held for good, and the chat says so. */
  function intercepted(why: MemberProblem): void {
    hold.hold(why);
    options.notice('intercepted');
  }
  /** The keys it announced with its join, and their proof (member-announced.ts). */
  const announced = createAnnouncedKeys({
    handshake,
    disposed: isDisposed,
    proven(keys) {
      if (signingKey.announcementDisagrees(keys)) {
        intercepted(ANNOUNCED_KEY_MISMATCH);
        return;
      }
      // History learns its key even if we never link (router → authors).
      router.verified(handle);
      route.tellOpened();
      changed();
    },
  });
  /** The room-key hello on each of its links (member-proof.ts). */
  const proof = createProof({
    selfId: options.selfId,
    id,
    handshake,
    gate,
    current: (on) => direct.current(on),
    announcing: () => announced.checking,
    checked() {
      // The link's proven key is not the one the server carried: one of them is forged.
      if (signingKey.linkDisagrees()) intercepted(ANNOUNCED_KEY_MISMATCH);
      router.verified(handle);
      hold.tellIfShut();
      changed();
    },
    dispatch,
    opened,
    hellosExchanged: (on, version) => void keyHold.hellosExchanged(on, version),
    intercepted,
    replaceLink: () => handle.replaceLink(),
    changed,
    gone: options.gone,
  });
  /** Whether it holds the key it announced, not only announced it (member-key-hold.ts). */
  const keyHold = createKeyHold({
    id,
    handshake,
    current: (on) => direct.current(on),
    announcedNow: (keys) => signingKey.announced === keys,
    changed,
  });
  /** Its current link and how it stands (member-link.ts): only that link's events come here. */
  const direct = createMemberLink({
    selfId: options.selfId,
    id,
    config: options.links,
    sendSignal: options.sendSignal,
    disposed: isDisposed,
    changed,
    events: {
      open: (on) => void proof.sayHello(on),
      message: (on, message, size) => messages.receive(on, message, size),
      malformed: (size) => void messages.charge('malformed', size),
      drain: () => router.drained(handle),
      closed: (on) => proof.closed(on),
      silent() {
        heardVia = null;
        viaSaid = false;
        presence.silent();
      },
      heard(on) {
        presence.heard();
        // Back after a silence on the same channel: what went out meanwhile may have gone
        // nowhere (through a relay that lost it, or held for a route that went away). The
        // features hear it as a repair, as when a channel reopens: the chat resends what is
        // unacknowledged, and the receiver drops the copies it already has.
        proof.reopen(on);
      },
      // Charged before any feature looks at it, taken or not: a flood of them is cut.
      dataChannel: (channel) =>
        messages.charge('data-channel', channel.label.length) && router.dataChannel(handle, channel),
      track: (event) => router.track(handle, event),
    },
  });
  /** The signing key this page vouches for as its own, from its hello or its announcement (member-key.ts). */
  const signingKey = createMemberKey({ canProve: handshake.canProve, proof, announced, hold });
  /** Features talk over the direct link (else through the route, if there is one). */
  const directReady = (): boolean => direct.link.open && proof.helloSent(direct.link) && !proof.awaitingProof();
  /** Its route through a relay while there is no direct link (member-route.ts). */
  const route = createMemberRoute({
    usable: () => announced.proven && !hold.why && !directReady(),
    opened,
    changed,
  });
  /** Where its channel messages go, in and out (member-messages.ts). */
  const messages = createMemberMessages({
    canProve: handshake.canProve,
    gate,
    hold,
    proof,
    keyHold,
    route,
    link: () => direct.link,
    admit: (type, size) => router.admit(handle, type, size),
    dispatch,
    gone: options.gone,
  });

  const handle: Member = {
    id,
    get name() {
      return name;
    },
    get state() {
      return direct.state;
    },
    get verification() {
      return proof.verification;
    },
    get key() {
      return signingKey.vouched;
    },
    get keyHeld() {
      return keyHold.holds(signingKey.vouched);
    },
    get version() {
      return proof.version;
    },
    cameAfterUs: options.cameAfterUs,
    get announced() {
      return signingKey.announced;
    },
    get rttMs() {
      return direct.path?.rttMs ?? null;
    },
    get disposed() {
      return disposed;
    },
    get shut() {
      return hold.shut;
    },
    get held() {
      return hold.why !== null;
    },
    get open() {
      return !disposed && direct.link.open;
    },
    get relayed() {
      return !disposed && route.inUse !== null;
    },
    get heardThrough() {
      return !disposed && !direct.link.open ? heardVia : null;
    },
    get writable() {
      return !disposed && messages.writable;
    },
    get pc() {
      return direct.link.pc;
    },
    get link() {
      return direct.link;
    },
    send: (message) => !disposed && messages.send(message),
    slot<T>(key: SlotKey<T>): T {
      if (!slots.has(key)) slots.set(key, key.init());
      return slots.get(key) as T;
    },
    view: () => memberView({ id, name, direct, proof, announced, hold, presence, route }),
    announce: (keys) => announced.announce(keys),
    sealedOpened(keys) {
      if (!disposed) void keyHold.sealedOpened(keys);
    },
    setRoute(next) {
      if (!disposed) route.set(next);
    },
    heardThroughRelay(via) {
      if (disposed || direct.link.open) return;
      if (heardVia === null) changed();
      heardVia = via;
      // Said only after a silence (its "not responding"); a link that never worked was news to no one.
      if (viaSaid || presence.visible) return;
      viaSaid = true;
      options.notice('relayed', via);
    },
    rename(next) {
      if (disposed || next === name) return;
      name = next;
      router.renamed(handle);
      changed();
    },
    receiveSignal(body) {
      if (!disposed && !hold.why) direct.receiveSignal(body);
    },
    replaceLink() {
      if (disposed || hold.why) return;
      proof.reset();
      // Hidden while it was silent: a new link (its reload, a fresh negotiation) is a new
      // start, and only a silence on that link hides it again.
      presence.newLink();
      direct.replace();
      changed();
    },
    newSession() {
      if (disposed || hold.why) return;
      if (hold.newSession()) handle.replaceLink();
    },
    awaitReturn: (ms, onTimeout) => presence.awaitReturn(ms, onTimeout),
    cancelReturn: () => presence.cancelReturn(),
    refreshPath: () => direct.refreshPath(),
    dispose(reason) {
      if (disposed) return;
      disposed = true;
      presence.cancelReturn();
      hold.dispose();
      route.clear();
      direct.close();
      router.removed(handle, reason);
      slots.clear();
    },
  };
  router.added(handle);
  return handle;
}
