// A Redis client as the adapters get it (adapter.ts): a view of the client through which
// - the commands an adapter sends without awaiting them (PUBLISH, SUBSCRIBE, …) cannot reject
//   unhandled: a command cut off by a dying connection is caught;
// - the subscriptions it asks for are kept in place (adapter-subscriptions.ts): asked for
//   again whenever Redis does not hold them;
// - its duplicates (the streams adapter makes its own readers) are tracked and guarded like
//   the others, and their connects, made without a catch, cannot reject unhandled.
import {
  channelsOf,
  isUnsubscribing,
  type KeptSubscriptions,
  keepSubscriptions,
  SUBSCRIBING,
} from './adapter-subscriptions.ts';
import { everyShardUp, holdsSubscription, type RedisConnection, subscriptionsShape } from './cluster.ts';

/** Commands the adapters send without awaiting them. */
const FIRE_AND_FORGET = new Set([
  'publish',
  'sPublish',
  'subscribe',
  'sSubscribe',
  'pSubscribe',
  'pUnsubscribe',
  'unsubscribe',
  'sUnsubscribe',
  'set',
]);

type AnyFn = (...args: unknown[]) => unknown;
/** A promise that never settles: what a closed link's connect gives whoever awaits it. */
const noSettle = () => {};

export interface GuardDeps {
  /** The link was closed: its connections are being destroyed. */
  closed(): boolean;
  /** A connection made through the view (a duplicate), to be tracked as the link's own. */
  track(connection: RedisConnection): RedisConnection;
  /** The subscriptions of a guarded connection, for the link to look at. */
  keep(subscriptions: KeptSubscriptions): void;
}

export function guardConnection(client: RedisConnection, deps: GuardDeps): RedisConnection {
  const { closed } = deps;
  const subscriptions = keepSubscriptions({
    holds: (kind, channel) => holdsSubscription(client, kind, channel),
    shape: () => subscriptionsShape(client),
    // Not through a shard that is down: the ask would wait on its dead connection.
    canAsk: () => !closed() && everyShardUp(client),
    call: ({ method, args }) => (Reflect.get(view, method, view) as AnyFn)(...args),
  });
  deps.keep(subscriptions);
  const view: RedisConnection = new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as AnyFn;
      if (prop === 'duplicate') {
        return (...args: unknown[]) => guardConnection(deps.track(fn.apply(target, args) as RedisConnection), deps);
      }
      if (prop === 'connect') {
        // The streams adapter connects its duplicates without a catch: one still
        // connecting when we close (Redis never reached) would reject unhandled.
        return (...args: unknown[]) =>
          (fn.apply(target, args) as Promise<unknown>).catch((error: unknown) => {
            if (closed()) return new Promise(noSettle);
            throw error;
          });
      }
      if (typeof prop === 'string' && FIRE_AND_FORGET.has(prop)) {
        return (...args: unknown[]) => {
          if (isUnsubscribing(prop)) subscriptions.dropped(channelsOf(args));
          const result = fn.apply(target, args);
          if (!(result instanceof Promise)) return result;
          // Failed, a subscription is asked for again (adapter-subscriptions.ts); a publish
          // is lost, as the adapters have it.
          const settled = result.catch(() => {});
          if (SUBSCRIBING.has(prop)) subscriptions.asked({ method: prop, args }, settled);
          return result;
        };
      }
      return fn.bind(target);
    },
  });
  return view;
}
