// One link to one other member: an RTCPeerConnection with a negotiated data channel, kept
// alive by a heartbeat and repaired by ICE restarts. It knows nothing about chat or members;
// it moves channel messages, hands over extra channels and tracks, and reports how it is.
import {
  CHAT_CHANNEL_ID,
  CHAT_CHANNEL_LABEL,
  type ChannelMessage,
  encodeChannelMessage,
  parseChannelMessage,
} from '../protocol/index.ts';
import { HEARTBEAT_CHECK_MS, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, pingDue } from './heartbeat.ts';
import { createNegotiator, type SignalBody, sdpFingerprints } from './negotiation.ts';
import { createPathReader, type PathInfo } from './path.ts';
import { createSilenceWatch } from './silence-watch.ts';
import { pageTicker } from './ticker.ts';

/** 'disconnected' often heals by itself within a second or two; after this, restart ICE. */
const DISCONNECTED_GRACE_MS = 2_000;
/** A link that never connected is called unreachable after this long (and keeps retrying). */
const CONNECT_TIMEOUT_MS = 12_000;
/** Retries of a link that cannot connect: ICE restart every so often, backing off. */
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 60_000;
/** Stop queuing into the channel above this; resume at the low-water mark (backpressure). */
const BUFFER_HIGH_WATER = 1 << 20;
const BUFFER_LOW_WATER = 1 << 18;

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

/** Why a link cannot connect: a stable code (data-reason in the page) and plain words. */
export interface UnreachableReason {
  code: 'no-turn' | 'turn-refused' | 'turn-failed' | 'relay-without-turn' | 'negotiation-failed';
  text: string;
}

/**
 * Page-wide counts, for the debug handle: repairs should not look like new links; stalls of
 * this page itself (silence-watch.ts), which no longer count as the members' silence. Each
 * link's check sees a stall on its own, so one stall counts once per open link.
 */
export const linkCounters = { created: 0, iceRestarts: 0, stalls: 0, longestStallMs: 0 };

export interface LinkEvents {
  signal(signal: SignalBody): void;
  state(state: LinkState, reason: UnreachableReason | null): void;
  /** The channel opened: queued messages can go now. */
  open(): void;
  /** Every message that parsed (pings too), and its size as received. */
  message(message: ChannelMessage, size: number): void;
  /**
   * A message that did not parse (hostile, or from a newer version that should not have
   * sent it), with its size as received: charged as the others are (protocol linkChargeRates).
   */
  malformed(size: number): void;
  /** The channel can take more after backpressure. */
  drain(): void;
  /** The other side closed the link (its tab closed or it left). */
  closed(): void;
  /** No heartbeat for HEARTBEAT_TIMEOUT_MS: frozen, or lost its network. */
  silent(): void;
  /** Heard again after silence. */
  heard(): void;
  /** The other side opened a data channel of its own (a feature's, e.g. a file transfer). */
  dataChannel(channel: RTCDataChannel): void;
  /** A media track arrived (calls). */
  track(event: RTCTrackEvent): void;
}

export interface LinkOptions {
  polite: boolean;
  /** This side makes the first offer (roles.ts). */
  offersFirst: boolean;
  rtcConfig(): RTCConfiguration;
  /** Called before an ICE restart so that expiring TURN credentials are renewed first. */
  beforeRestart(): Promise<void>;
  /** Plain words for why this link cannot connect, from what the configuration offers. */
  unreachableReason(lastIceError: string | null): UnreachableReason;
  events: LinkEvents;
}

export interface Link {
  /** Feeds a signal to the negotiation; a description from another session is dropped (isFromNewSession). */
  receive(signal: SignalBody): void;
  /**
   * True when the description, offer or answer, carries other DTLS fingerprints than the
   * first this link received: another remote session (the other side reloaded, or someone
   * between us answers in its name). The room-key proof covered the first ones only.
   */
  isFromNewSession(signal: SignalBody): boolean;
  send(message: ChannelMessage): boolean;
  readonly writable: boolean;
  readonly state: LinkState;
  readonly open: boolean;
  /** The channel has been open at least once: this link is worth repairing, not replacing. */
  readonly established: boolean;
  /**
   * When the member was last heard on it (performance.now(), or when the link was made),
   * moved on by the time this page itself stalled (silence-watch.ts): compared across links,
   * it tells a member gone quiet alone from several gone quiet together (heartbeat.ts).
   */
  readonly heardAt: number;
  restart(): void;
  /** Our offer still unanswered goes again (see Negotiator.resendOffer). */
  resendOffer(): void;
  close(): void;
  path(): Promise<PathInfo | null>;
  /**
   * Both DTLS fingerprints of the link. Waits until both descriptions are applied: the
   * channel can open (and the first message arrive) before the offerer's
   * setRemoteDescription(answer) has resolved and currentRemoteDescription is visible.
   */
  fingerprints(): Promise<{ local: string; remote: string }>;
  readonly pc: RTCPeerConnection;
}

/** A channel message's size as the budget counts it: characters, or bytes when binary. */
function sizeAsReceived(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (data instanceof Blob) return data.size;
  return 0;
}

/** How long fingerprints() waits for the descriptions before giving up (empty result). */
const DESCRIPTIONS_WAIT_MS = 5_000;

/** How the mesh makes links; tests hand it fake ones. */
export type LinkFactory = (options: LinkOptions) => Link;

export const createLink: LinkFactory = (options) => {
  const { events } = options;
  const pc = new RTCPeerConnection(options.rtcConfig());
  linkCounters.created++;
  const channel = pc.createDataChannel(CHAT_CHANNEL_LABEL, {
    negotiated: true,
    id: CHAT_CHANNEL_ID,
    ordered: true,
  });
  channel.bufferedAmountLowThreshold = BUFFER_LOW_WATER;
  const negotiator = createNegotiator({
    pc,
    polite: options.polite,
    offersFirst: options.offersFirst,
    send: (signal) => events.signal(signal),
    onRestart: () => linkCounters.iceRestarts++,
    onFailure(stage, error) {
      // Said at once, not 12 s later as "no path": the user sees what actually broke.
      const detail = error instanceof Error ? error.message : String(error);
      negotiationFailure = { code: 'negotiation-failed', text: `negotiation failed (${stage}): ${detail}` };
      recompute();
      scheduleRetry();
    },
  });

  const createdAt = performance.now();
  let state: LinkState = 'connecting';
  let everOpen = false;
  const readPath = createPathReader();
  let closed = false;
  let silent = false;
  const silence = createSilenceWatch(performance.now(), {
    timeoutMs: HEARTBEAT_TIMEOUT_MS,
    checkMs: HEARTBEAT_CHECK_MS,
    stalled(ms) {
      linkCounters.stalls++;
      linkCounters.longestStallMs = Math.max(linkCounters.longestStallMs, Math.round(ms));
    },
  });
  let pingCounter = 0;
  let lastIceError: string | null = null;
  /** Set when a description could not be applied; cleared once the channel opens. */
  let negotiationFailure: UnreachableReason | null = null;
  let retryDelay = RETRY_MIN_MS;
  /**
   * The other side's DTLS fingerprints, from the first description received on this link
   * (even one perfect negotiation then ignores, an offer in glare: a later one from another
   * session only costs a replaced link). Every description applied carries these, so they
   * are the ones the room-key proof covers. A description with others is never applied to
   * this link, whichever its type: a server answering our ICE restart with its own
   * fingerprint would sit in the middle of a link already shown as proven.
   */
  let remoteFingerprints: string | null = null;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let disconnectedTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function later(ms: number, run: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, ms);
    timers.add(timer);
    return timer;
  }

  function setState(next: LinkState, reason: UnreachableReason | null = null): void {
    if (closed || (next === state && reason === null)) return;
    state = next;
    events.state(next, reason);
  }

  function recompute(): void {
    if (channel.readyState === 'open' && !silent) {
      retryDelay = RETRY_MIN_MS;
      negotiationFailure = null;
      setState('connected');
    } else if (negotiationFailure) {
      setState('unreachable', negotiationFailure);
    } else if (everOpen) {
      setState('reconnecting');
    } else if (performance.now() - createdAt >= CONNECT_TIMEOUT_MS) {
      setState('unreachable', options.unreachableReason(lastIceError));
    } else {
      setState('connecting');
    }
  }

  async function restartIce(): Promise<void> {
    if (closed) return;
    try {
      await options.beforeRestart();
      if (closed) return;
      pc.setConfiguration(options.rtcConfig());
    } catch (error) {
      console.debug('roomlink: ICE configuration refresh failed', error);
    }
    // Goes through negotiationneeded, hence through perfect negotiation: no glare.
    negotiator.restartIce();
  }

  function scheduleRetry(): void {
    if (retryTimer !== null) return;
    retryTimer = later(retryDelay, () => {
      retryTimer = null;
      if (state === 'connected') return;
      retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      void restartIce();
      scheduleRetry();
    });
  }

  pc.addEventListener('connectionstatechange', () => {
    switch (pc.connectionState) {
      case 'connected':
        if (disconnectedTimer !== null) clearTimeout(disconnectedTimer);
        disconnectedTimer = null;
        break;
      case 'disconnected':
        disconnectedTimer ??= later(DISCONNECTED_GRACE_MS, () => {
          disconnectedTimer = null;
          if (pc.connectionState === 'disconnected') void restartIce();
        });
        break;
      case 'failed':
        void restartIce();
        scheduleRetry();
        break;
      default:
        break;
    }
    recompute();
  });

  // Relay-only, a gathering round that ends without a single candidate means every TURN
  // server refused or failed us: no check can ever succeed, so say why now rather than
  // after CONNECT_TIMEOUT_MS. (With host candidates in play only the checks can tell.)
  let gatheredThisRound = 0;
  pc.addEventListener('icecandidate', ({ candidate }) => {
    if (candidate !== null && candidate.candidate !== '') gatheredThisRound++;
  });
  pc.addEventListener('icegatheringstatechange', () => {
    if (pc.iceGatheringState === 'gathering') gatheredThisRound = 0;
    if (pc.iceGatheringState !== 'complete' || gatheredThisRound > 0 || everOpen) return;
    if (pc.getConfiguration().iceTransportPolicy !== 'relay') return;
    negotiationFailure = options.unreachableReason(lastIceError);
    recompute();
    scheduleRetry();
  });

  pc.addEventListener('icecandidateerror', (event) => {
    const e = event as RTCPeerConnectionIceErrorEvent;
    // 701 is "could not reach this STUN/TURN server"; 401 is bad or expired credentials.
    lastIceError = `${e.errorCode} ${e.errorText}`.trim() + (e.url ? ` (${e.url})` : '');
  });

  channel.addEventListener('open', () => {
    everOpen = true;
    silence.heard(performance.now());
    recompute();
    events.open();
  });
  channel.addEventListener('close', () => {
    if (closed) return;
    events.closed();
  });
  channel.addEventListener('bufferedamountlow', () => events.drain());
  pc.addEventListener('datachannel', ({ channel: extra }) => {
    if (!closed) events.dataChannel(extra);
  });
  pc.addEventListener('track', (event) => {
    if (!closed) events.track(event);
  });
  channel.addEventListener('message', ({ data }) => {
    // What was on its way when the link was closed (a flooder cut) is not even read.
    if (closed) return;
    const heardAt = performance.now();
    silence.heard(heardAt);
    if (silent) {
      silent = false;
      recompute();
      events.heard();
    }
    const message = parseChannelMessage(data);
    // Every message counts against the member's budget, one that does not parse too: else a
    // flood of them is never muted nor cut, and each costs us its parse.
    if (message === null) events.malformed(sizeAsReceived(data));
    // Pings go on too. They are not answered (the other side hears ours), so a flood of them
    // never makes us send.
    else events.message(message, (data as string).length);
  });

  const stopHeartbeat = pageTicker.every(HEARTBEAT_INTERVAL_MS, () => {
    if (pingDue(channel.readyState === 'open', silent)) send({ t: 'ping', n: pingCounter++ });
  });
  const stopWatchdog = pageTicker.every(HEARTBEAT_CHECK_MS, () => {
    // Checked on every tick, even while closed or silent: a stall is measured tick to tick.
    const quiet = silence.silent(performance.now());
    if (channel.readyState !== 'open' || silent) return;
    if (quiet) {
      silent = true;
      recompute();
      events.silent();
      void restartIce(); // maybe our own network changed; cheap if nothing is wrong
      scheduleRetry();
    }
  });
  later(CONNECT_TIMEOUT_MS, () => {
    recompute();
    if (!everOpen) scheduleRetry();
  });

  function send(message: ChannelMessage): boolean {
    if (channel.readyState !== 'open') return false;
    try {
      channel.send(encodeChannelMessage(message));
      return true;
    } catch {
      return false; // closing underneath us; the caller keeps the message queued
    }
  }

  return {
    receive(signal) {
      if (signal.description) {
        const fingerprints = sdpFingerprints(signal.description.sdp);
        remoteFingerprints ??= fingerprints;
        if (fingerprints !== remoteFingerprints) return;
      }
      negotiator.receive(signal);
    },
    isFromNewSession(signal) {
      if (!signal.description || remoteFingerprints === null) return false;
      return sdpFingerprints(signal.description.sdp) !== remoteFingerprints;
    },
    send,
    get writable() {
      return channel.readyState === 'open' && channel.bufferedAmount < BUFFER_HIGH_WATER;
    },
    get state() {
      return state;
    },
    get open() {
      return channel.readyState === 'open' && !silent;
    },
    get established() {
      return everOpen;
    },
    get heardAt() {
      return silence.lastHeard;
    },
    restart() {
      if (state !== 'connected') void restartIce();
    },
    resendOffer: () => negotiator.resendOffer(),
    close() {
      if (closed) return;
      closed = true;
      stopHeartbeat();
      stopWatchdog();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      channel.close();
      pc.close();
    },
    async path() {
      if (closed) return null;
      return readPath(await pc.getStats());
    },
    async fingerprints() {
      const read = () => ({
        local: sdpFingerprints(pc.currentLocalDescription?.sdp),
        remote: sdpFingerprints(pc.currentRemoteDescription?.sdp),
      });
      const deadline = performance.now() + DESCRIPTIONS_WAIT_MS;
      let now = read();
      while ((!now.local || !now.remote) && !closed && performance.now() < deadline) {
        await new Promise<void>((resolve) => {
          const done = () => {
            pc.removeEventListener('signalingstatechange', done);
            resolve();
          };
          pc.addEventListener('signalingstatechange', done);
          setTimeout(done, 100);
        });
        now = read();
      }
      return now;
    },
    pc,
  };
};
