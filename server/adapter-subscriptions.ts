// The subscriptions an adapter asked for on one connection (adapter.ts), kept in place.
//
// The adapters subscribe once (to a room's channel when the room appears on this node, to
// their shared channels at start) and leave the rest to the client. node-redis subscribes
// again, after a reconnect or a failover, to what Redis had confirmed; a subscription still
// waiting for its answer when its connection was dropped is lost without a word. Seen on a
// Cluster: a member who joined while the master of its own channel's slot was dead had its
// SSUBSCRIBE queued on the dead master's connection; the topology refresh that found the
// promoted replica dropped that connection, and the member never again received a signal
// from another node (nor could anyone on another node link with it), with /healthz 'ok'.
// And a Cluster client refuses every command until it knows the slots, the adapters' shared
// channels at start among them.
//
// So every channel asked for is kept until it is unsubscribed, looked at (look()) every
// second and whenever a connection comes up, and asked for again while Redis does not hold
// it and no ask for it is under way (or only one older than ASK_GRACE_MS, and fewer than
// ASKS_UNDER_WAY in all). What look()
// would ask for counts as missing (/healthz 'degraded'): a young ask is not, as every join
// asks for its channels.
//
// Asking node-redis whether it holds a channel costs ~3 µs, and the sharded adapter has a
// channel per room and per member: asking about each of 20k channels took ~43 ms, and
// /healthz (anyone's to call), /metrics, room-mending's poll and the look each did so. So
// what is missing is kept as it changes: an ask answered or failed is looked at alone; every
// channel is looked at again only when the connections' shape (cluster.ts
// subscriptionsShape: which connections, to which masters, up or not) changed since the
// last look; and besides, each look goes on through LOOK_SLICE more of them, for what no
// shape shows. missing() only reads what was found.
import type { SubscriptionKind } from './cluster.ts';

/** Channels each look goes through beyond what changed: ~3 ms a second, all of 20k in 20 s. */
export const LOOK_SLICE = 1_000;

/**
 * An ask under way longer than this, its channel still not held, counts as missing and is
 * made again (once: ASKS_UNDER_WAY): its connection may be stuck (a master stopped, not
 * dead), or its answer lost.
 * Long, against a join's own wait for its channels: a storm's subscriptions took seconds on
 * a loaded node (README, "Choosing the adapter"), and a node is not degraded for being busy.
 */
export const ASK_GRACE_MS = 10_000;
/**
 * Asks for one channel under way at once, at most: one old ask is made again once, not
 * every ASK_GRACE_MS. On a master stopped (not dead) its connection stays up and an ask
 * waits for good, in node-redis's queue; asked again each time, a channel's asks piled up
 * for as long as it stayed stopped. The one ask again is for an answer lost some other way.
 */
export const ASKS_UNDER_WAY = 2;

/** The commands that start a subscription, and the kind each makes. */
export const SUBSCRIBING: ReadonlyMap<string, SubscriptionKind> = new Map([
  ['subscribe', 'CHANNELS'],
  ['pSubscribe', 'PATTERNS'],
  ['sSubscribe', 'SHARDED'],
]);
/** Each subscribing command's undoing. */
const UNSUBSCRIBING: ReadonlyMap<string, string> = new Map([
  ['unsubscribe', 'subscribe'],
  ['pUnsubscribe', 'pSubscribe'],
  ['sUnsubscribe', 'sSubscribe'],
]);
export const isUnsubscribing = (method: string): boolean => UNSUBSCRIBING.has(method);
/** The command that undoes a subscribing one. */
const undoing = (method: string): string | undefined =>
  [...UNSUBSCRIBING].find(([, subscribing]) => subscribing === method)?.[0];

/** The channel names a (un)subscribe call names: one, or a list. */
export const channelsOf = (args: readonly unknown[]): string[] =>
  [args[0]].flat().filter((channel): channel is string => typeof channel === 'string');

/**
 * Whether a join into these Socket.IO rooms waits for a subscription to this channel: yes
 * for the rooms' own channels (the sharded adapter names them `<prefix>#/#<room>#`) and for
 * channels that are no room's (the adapter's shared ones, subscribed at start), not for
 * other rooms' (rooms.ts names every room `room:…` or `peer:…`, waiting.ts a waiting list
 * `waiting:…`, which a join never waits for: a refused connection enters one after its
 * refusal, and taken for a shared channel it would hold every join on the node until
 * subscribed).
 */
export function neededFor(channel: string, rooms: readonly string[]): boolean {
  if (!/#(room|peer|waiting):/.test(channel)) return true;
  return rooms.some((room) => channel.endsWith(`#${room}#`));
}

/** A subscribe call as the adapter made it: the client's method, and its arguments. */
export interface SubscribeCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface KeptSubscriptionsDeps {
  /** Whether Redis holds this subscription of the connection's now (cluster.ts holdsSubscription). */
  holds(kind: SubscriptionKind, channel: string): boolean;
  /**
   * What holds() reads, but the channels (cluster.ts subscriptionsShape): while it stays the
   * same, only asks change what is held. Without it, every look goes through every channel.
   */
  shape?(): string;
  /** Whether an ask can work now (the client is connected); if not, a later look asks. */
  canAsk(): boolean;
  /** Makes the call (through the guarded view: it is reported back here as asked). */
  call(call: SubscribeCall): void;
  now?: () => number;
}

export interface KeptSubscriptions {
  /** A subscribe call for these channels was made; `settled` once Redis answered or it failed. */
  asked(call: SubscribeCall, settled: Promise<unknown>): void;
  /** An unsubscribe call for these channels was made: no longer kept. */
  dropped(channels: readonly string[]): void;
  /** Finds what is missing (see the file's head for how much it looks at), and asks again for it; how many it asked for. */
  look(): number;
  /**
   * Channels wanted and not held, but those whose ask is under way and younger than
   * ASK_GRACE_MS: as found by the last look, and since then by asks answered, made or
   * dropped. Asks node-redis nothing.
   */
  missing(): string[];
  /** The asks under way for the channels `wanted` picks (a join waits for its own). */
  underWay(wanted: (channel: string) => boolean): Promise<unknown>[];
}

export function keepSubscriptions(deps: KeptSubscriptionsDeps): KeptSubscriptions {
  const now = deps.now ?? Date.now;
  /** Channels kept, each with the call that asks for it alone. */
  const wanted = new Map<string, SubscribeCall>();
  /** The latest ask per channel still unanswered, and since when; the oldest first. */
  const asking = new Map<string, { since: number; settled: Promise<unknown> }>();
  /** How many asks per channel are unanswered, the latest and older ones. */
  const unanswered = new Map<string, number>();
  /** Wanted, found not held, and no young ask for it: what missing() says and look() asks for. */
  const unheld = new Set<string>();
  /** The shape the last look saw; undefined: every channel is to be looked at. */
  let lastShape: string | undefined;
  /** Where the slices have got to in `wanted` (a Map's iterator sees what is added later). */
  let sweep = wanted.entries();
  const kindOf = (call: SubscribeCall): SubscriptionKind => SUBSCRIBING.get(call.method) ?? 'CHANNELS';
  const held = (channel: string, call: SubscribeCall): boolean => deps.holds(kindOf(call), channel);
  /** Whether the channel's ask is under way and younger than ASK_GRACE_MS. */
  const young = (channel: string, at: number): boolean => {
    const ask = asking.get(channel);
    return ask !== undefined && at - ask.since < ASK_GRACE_MS;
  };
  /** Looks at one channel: missing unless held or its ask is young. */
  const lookAt = (channel: string, call: SubscribeCall, at: number): void => {
    if (young(channel, at) || held(channel, call)) unheld.delete(channel);
    else unheld.add(channel);
  };

  const asked = (call: SubscribeCall, settled: Promise<unknown>): void => {
    const since = now();
    for (const channel of channelsOf(call.args)) {
      // One call per channel: asked again, a list would bring back a channel dropped since.
      wanted.set(channel, { method: call.method, args: [channel, ...call.args.slice(1)] });
      const ask = { since, settled };
      // Last in the map: the oldest asks stay first.
      asking.delete(channel);
      asking.set(channel, ask);
      unanswered.set(channel, (unanswered.get(channel) ?? 0) + 1);
      unheld.delete(channel);
      void settled.then(() => {
        const left = (unanswered.get(channel) ?? 1) - 1;
        if (left > 0) unanswered.set(channel, left);
        else unanswered.delete(channel);
        if (asking.get(channel) !== ask) return;
        asking.delete(channel);
        const kept = wanted.get(channel);
        if (kept !== undefined) {
          lookAt(channel, kept, now());
          return;
        }
        // Dropped while this ask was under way, and held all the same (its answer came after
        // the unsubscribe): undone, or the node would hear that channel for nothing.
        const undo = undoing(call.method);
        if (undo !== undefined && held(channel, call)) deps.call({ method: undo, args: [channel] });
      });
    }
  };

  /** Every channel when the shape changed, else the asks grown old and the next slice: LOOK_SLICE in all. */
  const find = (): void => {
    const at = now();
    const shape = deps.shape?.();
    if (shape === undefined || shape !== lastShape) {
      lastShape = shape;
      for (const [channel, call] of wanted) lookAt(channel, call, at);
      return;
    }
    let looked = 0;
    for (const [channel, ask] of asking) {
      if (at - ask.since < ASK_GRACE_MS || looked >= LOOK_SLICE) break;
      const call = wanted.get(channel);
      if (call !== undefined) lookAt(channel, call, at);
      looked++;
    }
    for (let slice = 0; slice < wanted.size && looked < LOOK_SLICE; slice++, looked++) {
      let next = sweep.next();
      if (next.done === true) {
        sweep = wanted.entries();
        next = sweep.next();
        if (next.done === true) return;
      }
      const [channel, call] = next.value;
      lookAt(channel, call, at);
    }
  };

  return {
    asked,
    dropped(channels) {
      for (const channel of channels) {
        wanted.delete(channel);
        unheld.delete(channel);
      }
    },
    look() {
      find();
      if (!deps.canAsk()) return 0;
      const calls = [...unheld]
        .filter((channel) => (unanswered.get(channel) ?? 0) < ASKS_UNDER_WAY)
        .map((channel) => wanted.get(channel))
        .filter((call) => call !== undefined);
      for (const call of calls) deps.call(call);
      return calls.length;
    },
    missing: () => [...unheld],
    underWay: (pick) => [...asking].filter(([channel]) => pick(channel)).map(([, ask]) => ask.settled),
  };
}
