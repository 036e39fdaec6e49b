// Stand-ins for what exists only in a browser: links (RTCPeerConnection + channel) and the
// room-key handshake. They record what the mesh and the features do with them, and let a
// test play the other side (open the channel, close it, deliver a message).

import { HEARTBEAT_TIMEOUT_MS } from '../../client/heartbeat.ts';
import type { Link, LinkFactory, LinkOptions, LinkState } from '../../client/link.ts';
import type { Handshake, LinkConfig } from '../../client/member.ts';
import type { SignalBody } from '../../client/negotiation.ts';
import type { PathInfo } from '../../client/path.ts';
import { createRouter } from '../../client/router.ts';
import type { ChannelMessage } from '../../protocol/index.ts';

export interface FakeLink extends Link {
  readonly options: LinkOptions;
  readonly received: SignalBody[];
  readonly sent: ChannelMessage[];
  readonly restarts: number;
  /** Times the mesh asked for our unanswered offer again. */
  offersResent: number;
  readonly closed: boolean;
  /** The configurations its RTCPeerConnection was given after it was made (setConfiguration). */
  readonly configured: RTCConfiguration[];
  /**
   * The other side's session, as its SDP fingerprint (here the whole SDP of the first
   * description it sent): a description with another is from another session, never applied.
   */
  remoteSession: string | null;
  /**
   * When the member was last heard (performance.now()): set by what it plays (the channel
   * opening, a message, its silence 3.5 s after it was last heard), or by a test.
   */
  heardAt: number;
  /** Plays the channel opening (the link then counts as established). */
  openChannel(): void;
  /**
   * Plays the channel going down without the member leaving (network blip): as a real link
   * only notices that by its silence, its member was last heard HEARTBEAT_TIMEOUT_MS before.
   */
  dropChannel(): void;
  /**
   * Plays the member's heartbeat stopping while the channel stays open (its network cut):
   * noticed, as a link notices it, HEARTBEAT_TIMEOUT_MS after it was last heard.
   */
  goSilent(): void;
  /** Plays a message arriving after a silence: the member is heard again, same channel. */
  hearAgain(message: ChannelMessage): void;
  /** Plays a message arriving from the other side. */
  deliver(message: ChannelMessage): void;
  /** Plays a message arriving that does not parse, of this size as received. */
  deliverMalformed(size: number): void;
  /** Plays the other side opening a data channel of its own; returns whether it is still open. */
  openDataChannel(label: string): () => boolean;
  /** Plays the link failing for good (no path between the two: no TURN). */
  fail(): void;
  /** Sets the round trip the next path poll reads (getStats' currentRoundTripTime; null: none yet). */
  measure(rttMs: number | null): void;
}

export function fakeLinks(): { factory: LinkFactory; made: FakeLink[] } {
  const made: FakeLink[] = [];
  const factory: LinkFactory = (options) => {
    let open = false;
    let established = false;
    let closed = false;
    let silent = false;
    let restarts = 0;
    let path: PathInfo | null = null;
    let state: LinkState = 'connecting';
    const report = (next: LinkState, reason: Parameters<LinkOptions['events']['state']>[1] = null) => {
      state = next;
      options.events.state(next, reason);
    };
    const link: FakeLink = {
      options,
      received: [],
      sent: [],
      configured: [],
      remoteSession: null,
      offersResent: 0,
      heardAt: performance.now(),
      get restarts() {
        return restarts;
      },
      get closed() {
        return closed;
      },
      receive(body) {
        if (body.description) {
          link.remoteSession ??= body.description.sdp;
          if (body.description.sdp !== link.remoteSession) return;
        }
        link.received.push(body);
      },
      isFromNewSession(body) {
        const sdp = body.description?.sdp ?? null;
        return sdp !== null && link.remoteSession !== null && sdp !== link.remoteSession;
      },
      send(message) {
        if (!open || closed) return false;
        link.sent.push(message);
        return true;
      },
      get writable() {
        return open && !closed;
      },
      get state() {
        return state;
      },
      get open() {
        return open && !closed && !silent;
      },
      get established() {
        return established;
      },
      restart() {
        restarts++;
      },
      resendOffer() {
        link.offersResent++;
      },
      close() {
        closed = true;
        open = false;
      },
      path: async () => (closed ? null : path),
      fingerprints: async () => ({ local: 'local', remote: 'remote' }),
      // As the browser's: once closed, it refuses a new configuration.
      pc: {
        setConfiguration(config: RTCConfiguration) {
          if (closed) throw new DOMException('The RTCPeerConnection is closed', 'InvalidStateError');
          link.configured.push(config);
        },
      } as unknown as RTCPeerConnection,
      openChannel() {
        open = true;
        established = true;
        link.heardAt = performance.now();
        report('connected');
        options.events.open();
      },
      dropChannel() {
        open = false;
        link.heardAt = performance.now() - HEARTBEAT_TIMEOUT_MS;
        report('reconnecting');
      },
      goSilent() {
        silent = true;
        link.heardAt = performance.now() - HEARTBEAT_TIMEOUT_MS;
        report('reconnecting');
        options.events.silent();
      },
      hearAgain(message) {
        silent = false;
        link.heardAt = performance.now();
        report('connected');
        options.events.heard();
        link.deliver(message);
      },
      fail() {
        open = false;
        report('unreachable', { code: 'no-turn', text: 'no direct path and no TURN' });
      },
      deliver(message) {
        link.heardAt = performance.now();
        options.events.message(message, JSON.stringify(message).length);
      },
      deliverMalformed(size) {
        options.events.malformed(size);
      },
      openDataChannel(label) {
        let channelOpen = true;
        const channel = {
          label,
          close: () => {
            channelOpen = false;
          },
        };
        options.events.dataChannel(channel as unknown as RTCDataChannel);
        return () => channelOpen;
      },
      measure(rttMs) {
        path = rttMs === null ? null : { local: 'host', remote: 'host', relayed: false, rttMs };
      },
    };
    made.push(link);
    return link;
  };
  return { factory, made };
}

export const trustingHandshake: Handshake = {
  canProve: false,
  hello: async () => ({ t: 'hello', v: 2 }),
  check: async () => 'unverified',
};

export function fakeLinkConfig(factory: LinkFactory): LinkConfig {
  return {
    createLink: factory,
    rtcConfig: () => ({}),
    beforeRestart: async () => {},
    unreachableReason: () => ({ code: 'no-turn', text: 'no path' }),
  };
}

export const noFeatures = createRouter([]);

/**
 * The browser's reportError for one test (Node has none), collecting what is reported: a
 * page sends it to the console, as an uncaught error would be.
 */
export function reportedErrors(t: { after(fn: () => void): void }): unknown[] {
  const reported: unknown[] = [];
  Object.assign(globalThis, { reportError: (error: unknown) => reported.push(error) });
  t.after(() => Reflect.deleteProperty(globalThis, 'reportError'));
  return reported;
}
