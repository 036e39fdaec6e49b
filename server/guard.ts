// One connection must not be able to stall the server. Three budgets per connection:
//  - packets in: every Engine.IO packet the client sends (events, acks, pings, garbage)
//    takes a token from a hard bucket; a client that empties it is cut off at once. The
//    signaling middleware also charges every event (known or not) to a softer event
//    budget before dispatch, and refuses events over it with rate_limited.
//  - refusals out: every refused event takes a token before its error may be sent. A
//    client that keeps earning refusals (over budget, unknown events, bad payloads) gets
//    one last error saying why, and is disconnected: answering a flood is a flood.
//  - bytes out: what waits in the Engine.IO write buffer plus what the WebSocket has not
//    handed to the kernel. A client that does not read is cut off once this passes a
//    bound, instead of being buffered for without limit.
// A slow reader is cut off by terminating the transport: a polite close would wait for the
// very buffer the client is not reading. A flooder may still be reading: it gets a last
// error saying why and a disconnect, and is terminated if that has not closed it shortly
// after.
import type { Rate } from './config.ts';
import { type Bucket, createBucket, hasToken, refilled } from './rate-limit.ts';

/**
 * How long a client has to close its WebSocket before it is terminated: after a cut (to
 * take its last error), and after any polite close by the server (websocket-server.ts).
 */
export const CLOSE_GRACE_MS = 500;

export type CutReason = 'packet_flood' | 'refusals' | 'slow_reader';

export interface GuardSettings {
  /** Every incoming Engine.IO packet; empty = cut off. */
  packets: Rate;
  /** Every incoming event, before dispatch; empty = the event is refused. */
  events: Rate;
  /** Every refused event; empty = cut off. */
  refusals: Rate;
  /** Bytes queued for the client and not yet taken by the kernel; past it = cut off. */
  maxOutgoingBytes: number;
  /**
   * After a cut, the client's address may open no new connection for this long (its
   * connection budget goes into debt; nothing without CONNECT_RATE_IP). A flooder that
   * simply reconnects would otherwise cost a handshake and a burst every half second.
   */
  cutPenaltyMs: number;
}

/**
 * Sized above what a real member sends at its busiest: meshing with 15 others at once
 * (the signal limit's burst of 200 in one go), plus joins, refreshes and acks. The largest
 * legitimate outgoing burst is a few dozen SDPs of at most 16 KB each.
 */
export const DEFAULT_GUARD: GuardSettings = {
  packets: { perSecond: 200, burst: 600 },
  events: { perSecond: 100, burst: 300 },
  refusals: { perSecond: 5, burst: 50 },
  maxOutgoingBytes: 2 * 1024 * 1024,
  cutPenaltyMs: 5_000,
};

interface OutgoingPacket {
  data?: unknown;
}

/** The parts of an Engine.IO transport the guard reads: its name and its WebSocket, if any. */
export interface EngineTransport {
  readonly name: string;
  readonly socket?: { bufferedAmount?: number; pause?(): void; terminate?(): void };
}

/** The parts of an Engine.IO socket (socket.conn) the guard reads; typed loosely on purpose. */
export interface EngineConnection {
  readonly transport: EngineTransport;
  on(event: 'packet', listener: (this: EngineConnection) => void): unknown;
  /** A WebSocket probing to upgrade a long-polling session (each of its probe pings). */
  on(event: 'upgrading', listener: (this: EngineConnection, transport: EngineTransport) => void): unknown;
  on(event: 'packetCreate', listener: (this: EngineConnection, packet: OutgoingPacket) => void): unknown;
  on(event: 'flush', listener: (this: EngineConnection) => void): unknown;
  close(discard?: boolean): unknown;
}

export interface ConnectionGuard {
  /** The client's address, as the per-address limits know it (addresses.ts), kept from the handshake. */
  readonly address: string;
  /** Charges one event to the event budget: false = refuse it. */
  takeEvent(): boolean;
  /** Charges one refusal: true = answer it; false = the connection is being cut off. */
  refused(): boolean;
  /** Whether the connection has been cut off (drop whatever still arrives). */
  isCut(): boolean;
  /** The Socket.IO socket's goodbye, once the client joined the namespace. */
  attach(hooks: GuardHooks): void;
}

export interface GuardHooks {
  /**
   * Every packet the client sends, as it arrives (a pong at least once per ping interval
   * while the connection lives). Told by the guard's one packet listener: a second listener
   * per connection cost 0.06 KB a socket (heap-profile.ts at 2,000 sockets).
   */
  heard(): void;
  /**
   * Called once, before the transport is cut: the last chance to say why. Except for
   * 'slow_reader' it should also disconnect the socket politely (the client may be reading).
   */
  beforeCut(reason: CutReason, retryAfterMs: number): void;
}

function sizeOf(packet: OutgoingPacket): number {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** The guard of each connection, for the listeners below (shared by every connection). */
const guards = new WeakMap<EngineConnection, Guard>();

// Engine.IO calls a listener with its connection as `this`: one function per event for
// every connection, instead of closures per connection (memory per socket, README).
function onPacket(this: EngineConnection): void {
  const guard = guards.get(this);
  if (!guard) return;
  guard.heard();
  // Counted on the next tick, as Socket.IO dispatches each event: a WebSocket read of many
  // frames is parsed in one go, and counting it at once would cut an event flooder for its
  // packets before its refusals, which are the ones that tell it why.
  process.nextTick(countPacket, guard);
}
function countPacket(guard: Guard): void {
  guard.countPacket();
}
// A WebSocket that comes to upgrade a long-polling session sends its probe pings before it
// is the session's transport, so they never reach 'packet': each is counted here. (Anything
// but a probe or the upgrade itself makes Engine.IO drop the probing WebSocket.) Found by a
// review: 5,000 probes, 5,000 pongs, none counted, for up to the 10 s upgrade timeout.
function onUpgrading(this: EngineConnection, transport: EngineTransport): void {
  const guard = guards.get(this);
  if (!guard) return;
  guard.probe = transport;
  process.nextTick(countPacket, guard);
}
function onFlush(this: EngineConnection): void {
  const guard = guards.get(this);
  if (guard) guard.queued = 0;
}
function onPacketCreate(this: EngineConnection, packet: OutgoingPacket): void {
  guards.get(this)?.countOutgoing(packet);
}
class Guard implements ConnectionGuard {
  // The packet and event budgets are two token counts refilled together, not two bucket
  // objects: every connection has a guard (rate-limit.ts, SocketLimiter, says why).
  private packetTokens: number;
  private eventTokens: number;
  private refilledAt: number;
  /** Made on the first refusal: most connections never earn one. */
  private refusals: Bucket | undefined;
  /** Bytes created since the write buffer was last flushed to the transport. */
  queued = 0;
  /** The WebSocket transport that last probed to upgrade this (long-polling) session. */
  probe: EngineTransport | undefined;
  private cut = false;
  /** The Socket.IO side's goodbye, once the client has joined the namespace (attach). */
  private hooks: GuardHooks | undefined;

  constructor(
    private readonly conn: EngineConnection,
    readonly address: string,
    private readonly settings: GuardSettings,
    private readonly onCut: (address: string, reason: CutReason) => void,
    private readonly now: () => number,
  ) {
    this.packetTokens = settings.packets.burst;
    this.eventTokens = settings.events.burst;
    this.refilledAt = now();
  }

  private refill(): void {
    // Never back in time: a clock that steps back would refill both budgets twice over.
    const t = Math.max(this.refilledAt, this.now());
    const elapsed = t - this.refilledAt;
    this.refilledAt = t;
    this.packetTokens = refilled(this.packetTokens, this.settings.packets, elapsed);
    this.eventTokens = refilled(this.eventTokens, this.settings.events, elapsed);
  }

  takeEvent(): boolean {
    this.refill();
    if (!hasToken(this.eventTokens)) return false;
    this.eventTokens -= 1;
    return true;
  }

  refused(): boolean {
    if (this.cut) return false;
    this.refusals ??= createBucket(this.settings.refusals, this.now);
    if (this.refusals.take()) return true;
    this.cutOff('refusals');
    return false;
  }

  isCut(): boolean {
    return this.cut;
  }

  attach(hooks: GuardHooks): void {
    this.hooks = hooks;
  }

  heard(): void {
    this.hooks?.heard();
  }

  countPacket(): void {
    if (this.cut) return;
    this.refill();
    if (!hasToken(this.packetTokens)) this.cutOff('packet_flood');
    else this.packetTokens -= 1;
  }

  countOutgoing(packet: OutgoingPacket): void {
    if (this.cut) return;
    this.queued += sizeOf(packet);
    const inWebSocket = this.conn.transport.socket?.bufferedAmount ?? 0;
    if (this.queued + inWebSocket > this.settings.maxOutgoingBytes) this.cutOff('slow_reader');
  }

  private cutOff(reason: CutReason): void {
    if (this.cut) return;
    this.cut = true;
    this.onCut(this.address, reason);
    this.hooks?.beforeCut(reason, this.settings.cutPenaltyMs);
    // A slow reader would not read a goodbye, and before the namespace there is nobody to
    // say one to.
    if (reason === 'slow_reader' || this.hooks === undefined) {
      this.terminate();
      return;
    }
    // Stop reading while the goodbye goes out: whatever the flooder still sends would only
    // be parsed and dropped, and that parsing is the cost of the flood for everyone else.
    // The kernel's buffers fill and TCP holds the sender back.
    for (const transport of this.webSocketTransports()) transport.socket?.pause?.();
    setTimeout(() => this.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** The session's WebSocket transports: its own, and one probing to upgrade it. */
  private webSocketTransports(): EngineTransport[] {
    return [this.conn.transport, this.probe].filter(
      (transport): transport is EngineTransport => transport?.name === 'websocket',
    );
  }

  private terminate(): void {
    // The WebSocket's own close handshake would queue behind the unread bytes until ws's
    // close timeout (websocket-server.ts).
    for (const transport of this.webSocketTransports()) transport.socket?.terminate?.();
    const own = this.conn.transport;
    if (own.name !== 'websocket' || typeof own.socket?.terminate !== 'function') this.conn.close(true);
  }
}

/** The guard made for this Engine.IO connection, if any. */
export function guardOf(conn: object): ConnectionGuard | undefined {
  return guards.get(conn as EngineConnection);
}

/**
 * Guards an Engine.IO connection from its first packet: a client that never joins the
 * namespace (never sends Socket.IO's CONNECT) still has every packet counted; measured
 * before, such a client sent 3.7 million frames in 5 s and was never cut. `onCut` runs on
 * every cut (metrics, the address's penalty): one function for every connection, like the
 * listeners above; the Socket.IO side attaches its goodbye.
 */
export function guardConnection(
  conn: EngineConnection,
  address: string,
  settings: GuardSettings,
  onCut: (address: string, reason: CutReason) => void,
  now: () => number = Date.now,
): ConnectionGuard {
  const guard = new Guard(conn, address, settings, onCut, now);
  guards.set(conn, guard);
  conn.on('packet', onPacket);
  conn.on('flush', onFlush);
  conn.on('packetCreate', onPacketCreate);
  conn.on('upgrading', onUpgrading);
  return guard;
}
