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
// it and no ask for it is under way (or only one older than ASK_GRACE_MS). What look()
// would ask for counts as missing (/healthz 'degraded'): a young ask is not, as every join
// asks for its channels.
import type { SubscriptionKind } from './cluster.ts';

/**
 * An ask under way longer than this, its channel still not held, counts as missing and is
 * made again: its connection may be stuck (a master stopped, not dead), or its answer lost.
 * Long, against a join's own wait for its channels: a storm's subscriptions took seconds on
 * a loaded node (README, "Choosing the adapter"), and a node is not degraded for being busy.
 */
export const ASK_GRACE_MS = 10_000;

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
  /** Asks again for each channel missing(); how many it asked for. */
  look(): number;
  /** Channels wanted and not held, but those whose ask is under way and younger than ASK_GRACE_MS. */
  missing(): string[];
  /** The asks under way for the channels `wanted` picks (a join waits for its own). */
  underWay(wanted: (channel: string) => boolean): Promise<unknown>[];
}

export function keepSubscriptions(deps: KeptSubscriptionsDeps): KeptSubscriptions {
  const now = deps.now ?? Date.now;
  /** Channels kept, each with the call that asks for it alone. */
  const wanted = new Map<string, SubscribeCall>();
  /** The latest ask per channel still unanswered, and since when. */
  const asking = new Map<string, { since: number; settled: Promise<unknown> }>();
  const kindOf = (call: SubscribeCall): SubscriptionKind => SUBSCRIBING.get(call.method) ?? 'CHANNELS';
  const held = (channel: string, call: SubscribeCall): boolean => deps.holds(kindOf(call), channel);

  const asked = (call: SubscribeCall, settled: Promise<unknown>): void => {
    const since = now();
    for (const channel of channelsOf(call.args)) {
      // One call per channel: asked again, a list would bring back a channel dropped since.
      wanted.set(channel, { method: call.method, args: [channel, ...call.args.slice(1)] });
      const ask = { since, settled };
      asking.set(channel, ask);
      void settled.then(() => {
        if (asking.get(channel) !== ask) return;
        asking.delete(channel);
        // Dropped while this ask was under way, and held all the same (its answer came after
        // the unsubscribe): undone, or the node would hear that channel for nothing.
        const undo = undoing(call.method);
        if (!wanted.has(channel) && undo !== undefined && held(channel, call)) {
          deps.call({ method: undo, args: [channel] });
        }
      });
    }
  };

  /** Wanted, not held, and no ask for it under way but an old one: to be asked for (again). */
  const unheld = (): Array<[string, SubscribeCall]> => {
    const at = now();
    const found: Array<[string, SubscribeCall]> = [];
    for (const [channel, call] of wanted) {
      const ask = asking.get(channel);
      if ((ask === undefined || at - ask.since >= ASK_GRACE_MS) && !held(channel, call)) found.push([channel, call]);
    }
    return found;
  };

  return {
    asked,
    dropped(channels) {
      for (const channel of channels) wanted.delete(channel);
    },
    look() {
      if (!deps.canAsk()) return 0;
      const found = unheld();
      for (const [, call] of found) deps.call(call);
      return found.length;
    },
    missing: () => unheld().map(([channel]) => channel),
    underWay: (pick) => [...asking].filter(([channel]) => pick(channel)).map(([, ask]) => ask.settled),
  };
}
