// One object per remote member: it owns the member's link, its entry in the member list and
// every feature's per-member state (slots). It is made and disposed through one path; after
// dispose() every handler does nothing, and the reason code says why it went.
import { CHANNEL_PROTOCOL_VERSION, type ChannelMessage, type HelloMessage } from '../protocol/index.ts';
import type { DisposeReason, MemberHandle, SlotKey } from './feature.ts';
import type { Link, LinkFactory, LinkState, PathInfo, UnreachableReason } from './link.ts';
import type { SignalBody } from './negotiation.ts';
import { rolesFor } from './roles.ts';
import type { Router } from './router.ts';
import type { Verification } from './verify.ts';

/** What the member list shows of a member (a copy; the member object owns the truth). */
export interface MemberView {
  id: string;
  name: string;
  state: LinkState;
  /** Why it cannot be reached (data-reason in the page), or null. */
  reason: MemberProblem | null;
  verification: Verification;
  path: PathInfo | null;
  /** False while the member is silent (no heartbeat): hidden until heard again. */
  visible: boolean;
}

/** A link problem, or a room-key mismatch on an otherwise working link. */
export interface MemberProblem {
  code: UnreachableReason['code'] | 'room-key-mismatch';
  text: string;
}

/** The room-key handshake (verify.ts in the page; a stand-in in unit tests). */
export interface Handshake {
  /** Our hello for this link (with a proof when we hold the key). */
  hello(link: Link): Promise<HelloMessage>;
  /** Checks the other side's hello against this link. */
  check(link: Link, hello: HelloMessage): Promise<Verification>;
}

/** Everything about links that is the same for every member (ICE servers, wording). */
export interface LinkConfig {
  createLink: LinkFactory;
  rtcConfig(): RTCConfiguration;
  beforeRestart(): Promise<void>;
  unreachableReason(lastIceError: string | null): UnreachableReason;
}

export type MemberNoticeKind = 'silent' | 'back' | 'intercepted';

export interface MemberOptions {
  selfId: string;
  id: string;
  name: string;
  links: LinkConfig;
  handshake: Handshake;
  router: Router;
  sendSignal(to: string, body: SignalBody): void;
  /** Something the member list shows changed. */
  changed(): void;
  /** Something worth a line in the chat happened to this member. */
  notice(kind: MemberNoticeKind): void;
  /** The link says the member is gone (channel closed, goodbye): the mesh disposes it. */
  gone(reason: DisposeReason): void;
}

export interface Member extends MemberHandle {
  readonly link: Link;
  view(): MemberView;
  rename(name: string): void;
  receiveSignal(body: SignalBody): void;
  /** The other side started a new session (reloaded): a new link, same member and slots. */
  replaceLink(): void;
  /** Keeps the member for `ms` while it may come back; then calls onTimeout. */
  awaitReturn(ms: number, onTimeout: () => void): void;
  cancelReturn(): void;
  refreshPath(): Promise<void>;
  dispose(reason: DisposeReason): void;
}

export function createMember(options: MemberOptions): Member {
  const { id, router } = options;
  const slots = new Map<SlotKey<unknown>, unknown>();
  let name = options.name;
  let state: LinkState = 'connecting';
  let problem: MemberProblem | null = null;
  let verification: Verification = 'unverified';
  let key: string | null = null;
  /**
   * Our hello went on the current link. Until then features may not fill the channel: the
   * other side checks each line against the key our hello carries, so nothing may pass it.
   */
  let greeted = false;
  let path: PathInfo | null = null;
  let visible = true;
  let disposed = false;
  let returnTimer: ReturnType<typeof setTimeout> | null = null;
  let link = makeLink();

  function makeLink(): Link {
    const roles = rolesFor(options.selfId, id);
    const made: Link = options.links.createLink({
      ...roles,
      rtcConfig: options.links.rtcConfig,
      beforeRestart: options.links.beforeRestart,
      unreachableReason: options.links.unreachableReason,
      events: {
        // Every event of a replaced link is dropped: `made !== link` once it is replaced.
        signal: (body) => current(made) && options.sendSignal(id, body),
        state(next, reason) {
          if (!current(made)) return;
          state = next;
          if (problem?.code !== 'room-key-mismatch') problem = next === 'unreachable' ? reason : null;
          options.changed();
        },
        open() {
          if (!current(made)) return;
          void sayHello(made);
        },
        message: (message) => current(made) && onMessage(made, message),
        drain: () => current(made) && router.drained(handle),
        closed: () => current(made) && options.gone('ERR_CHANNEL_CLOSED'),
        silent() {
          if (!current(made)) return;
          visible = false;
          options.notice('silent');
          options.changed();
        },
        heard() {
          if (!current(made)) return;
          cancelReturn();
          visible = true;
          options.notice('back');
          options.changed();
        },
        dataChannel(channel) {
          if (!current(made) || !router.dataChannel(handle, channel)) channel.close();
        },
        track: (event) => current(made) && router.track(handle, event),
      },
    });
    return made;
  }

  const current = (candidate: Link): boolean => !disposed && candidate === link;

  async function sayHello(on: Link): Promise<void> {
    const hello = await options.handshake.hello(on);
    if (!current(on)) return;
    on.send(hello);
    greeted = true;
    router.opened(handle);
  }

  async function onMessage(on: Link, message: ChannelMessage): Promise<void> {
    switch (message.t) {
      case 'hello': {
        if (message.v !== CHANNEL_PROTOCOL_VERSION) console.debug('roomlink: peer speaks channel protocol', message.v);
        // Known at once, so that the lines right behind the hello can be checked with it; a
        // swapped key fails the proof below and the link goes.
        key = message.key ?? null;
        const result = await options.handshake.check(on, message);
        if (!current(on)) return;
        verification = result;
        if (result === 'mismatch') {
          // Someone between us (the signaling server, say) replaced a fingerprint: this
          // link is intercepted. Nothing more goes over it.
          problem = {
            code: 'room-key-mismatch',
            text: 'could not prove it holds the room key: the link may be intercepted',
          };
          options.notice('intercepted');
          on.close();
        }
        router.verified(handle);
        options.changed();
        return;
      }
      case 'bye':
        options.gone('ERR_BYE');
        return;
      case 'ping':
      case 'pong':
        return; // the link answers these itself
      default:
        router.dispatch(handle, message);
    }
  }

  function cancelReturn(): void {
    if (returnTimer !== null) clearTimeout(returnTimer);
    returnTimer = null;
  }

  const handle: Member = {
    id,
    get name() {
      return name;
    },
    get state() {
      return state;
    },
    get verification() {
      return verification;
    },
    get key() {
      return key;
    },
    get disposed() {
      return disposed;
    },
    get open() {
      return !disposed && link.open;
    },
    get writable() {
      return !disposed && greeted && link.writable;
    },
    get pc() {
      return link.pc;
    },
    get link() {
      return link;
    },
    send(message) {
      if (disposed || verification === 'mismatch') return false;
      return link.send(message);
    },
    slot<T>(key: SlotKey<T>): T {
      if (!slots.has(key)) slots.set(key, key.init());
      return slots.get(key) as T;
    },
    view: () => ({ id, name, state, reason: problem, verification, path, visible }),
    rename(next) {
      if (disposed || next === name) return;
      name = next;
      router.renamed(handle);
      options.changed();
    },
    receiveSignal(body) {
      if (!disposed) link.receive(body);
    },
    replaceLink() {
      if (disposed) return;
      link.close();
      state = 'connecting';
      problem = null;
      verification = 'unverified';
      key = null;
      greeted = false;
      path = null;
      link = makeLink();
      options.changed();
    },
    awaitReturn(ms, onTimeout) {
      if (disposed || returnTimer !== null) return;
      returnTimer = setTimeout(() => {
        returnTimer = null;
        if (!disposed) onTimeout();
      }, ms);
    },
    cancelReturn,
    async refreshPath() {
      if (disposed || state !== 'connected') return;
      const next = await link.path().catch(() => null);
      if (disposed) return;
      path = next;
    },
    dispose(reason) {
      if (disposed) return;
      disposed = true;
      cancelReturn();
      link.close();
      router.removed(handle, reason);
      slots.clear();
    },
  };
  router.added(handle);
  return handle;
}
