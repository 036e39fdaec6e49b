// Scale-out: Socket.IO's Redis Streams adapter on the `redis` client, when REDIS_URL is set.
//
// Why the Streams adapter (not the Pub/Sub one): every broadcast is appended to a Redis
// stream and each node reads it with XREAD from the last id it saw, so a node whose Redis
// connection drops and comes back resumes where it stopped instead of losing what was sent
// meanwhile (Pub/Sub delivers only to whoever is subscribed at that instant); and it
// implements connection-state recovery across nodes, should we turn that on.
//
// What this file adds around it, so that Redis going away never takes a node down:
// - every client, including the adapter's own duplicates, has an 'error' listener and a
//   reconnect strategy that never gives up (a client that gives up is closed, and the
//   adapter's read loop would spin on it);
// - the fire-and-forget commands the adapter does not await (PUBLISH, SUBSCRIBE, SET) get a
//   catch, so a command cut off by a dying connection is not an unhandled rejection;
// - while Redis is down the adapter does not publish at all, and while it is up a publish
//   that takes too long is abandoned: the adapter awaits each publish before delivering to
//   this node's own sockets, which would otherwise stall every local room until Redis is back;
// - state() says 'up' or 'down', logged once per transition; /healthz and membership reads
//   (cluster.ts) use it.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Namespace } from 'socket.io';
import type { Logger } from './logger.ts';

/** Entries kept in the Redis stream (approximate trimming), and entries fetched per XREAD. */
const STREAM_MAX_LEN = 100_000;
const STREAM_READ_COUNT = 1_000;

const RECONNECT_BASE_MS = 50;
const RECONNECT_MAX_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;
/** Commands waiting for a (re)connection past this are refused instead of queued. */
const COMMAND_QUEUE_MAX = 10_000;
/** A publish not acknowledged by Redis within this is given up; local delivery goes on. */
const PUBLISH_TIMEOUT_MS = 1_000;
const READY_POLL_MS = 10;
/** Stream, channel and key names: ours, so roomlink can share a Redis with other apps. */
const NAME_PREFIX = 'roomlink';
/** Commands the adapter sends without awaiting them. */
const FIRE_AND_FORGET = new Set(['publish', 'sPublish', 'subscribe', 'sSubscribe', 'set']);

export type RedisState = 'up' | 'down';

export interface RedisLink {
  /** The Socket.IO `adapter` option. */
  adapter: (nsp: Namespace) => unknown;
  state(): RedisState;
  /** Waits until connected and subscribed, at most timeoutMs; true if it got there. */
  ready(timeoutMs: number): Promise<boolean>;
  /** Closes every Redis connection. Call after io.close() (which stops the adapter). */
  close(): void;
}

type Client = ReturnType<typeof createClient>;
type AnyFn = (...args: unknown[]) => unknown;

interface PatchableAdapter {
  doPublish(message: unknown): Promise<string>;
  doPublishResponse(requesterUid: string, response: unknown): Promise<void>;
}

const noop = () => {};

function reconnectDelay(retries: number): number {
  return Math.min(RECONNECT_BASE_MS * 2 ** Math.min(retries, 10), RECONNECT_MAX_MS) + Math.floor(Math.random() * 50);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(noop);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function createRedisLink(url: string, logger: Logger): RedisLink {
  const log = logger.child({ component: 'redis' });
  let state: RedisState = 'down';
  let closed = false;
  let everUp = false;
  let subscribed = false;
  const duplicates: Client[] = [];

  const main: Client = createClient({
    url,
    commandsQueueMaxLength: COMMAND_QUEUE_MAX,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });

  // 'up' only when the publishing client, the stream reader and the subscriber are all
  // connected: with any of them missing, cross-node reads would wait for answers that
  // cannot arrive. Re-evaluated on every connection event of any of them.
  const connected = () => main.isReady && subscribed && duplicates.length > 0 && duplicates.every((d) => d.isReady);
  let lastError: unknown;
  const update = (error?: unknown) => {
    if (error !== undefined) lastError = error;
    setState(connected() ? 'up' : 'down', lastError);
  };
  const setState = (next: RedisState, error?: unknown) => {
    if (next === state || closed) return;
    state = next;
    if (next === 'up') {
      log.info(everUp ? 'redis is back: rooms are shared across nodes again' : 'redis connected');
      everUp = true;
    } else {
      log.warn(
        { err: error instanceof Error ? { message: error.message } : undefined },
        "redis unreachable: serving this node's rooms only, reconnecting",
      );
    }
  };
  const watch = (client: Client) => {
    client.on('ready', () => update());
    client.on('error', (error: unknown) => update(error));
    client.on('end', () => update());
    client.on('reconnecting', () => update());
  };
  watch(main);
  main.connect().catch((error: unknown) => {
    if (!closed) log.error({ err: error }, 'redis client stopped');
  });

  // The adapter gets a view of the client whose fire-and-forget commands cannot reject
  // unhandled, and whose duplicates (a reader per stream, one subscriber) are tracked so
  // that close() can end them and ready() can wait for them.
  const guard = (client: Client, isDuplicate: boolean): Client =>
    new Proxy(client, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = value as AnyFn;
        if (prop === 'duplicate') {
          return (...args: unknown[]) => {
            const copy = fn.apply(target, args) as Client;
            duplicates.push(copy);
            watch(copy);
            return guard(copy, true);
          };
        }
        if (prop === 'connect' && isDuplicate) {
          // Rejects only when we close the client while it waits for Redis; the adapter
          // would report that as an unhandled rejection. Never settling is the quiet way out.
          return () => (fn.apply(target) as Promise<unknown>).catch(() => new Promise(noop));
        }
        if (typeof prop === 'string' && FIRE_AND_FORGET.has(prop)) {
          return (...args: unknown[]) => {
            const result = fn.apply(target, args);
            if (result instanceof Promise) {
              result.catch(noop);
              if (prop === 'subscribe' || prop === 'sSubscribe') {
                result.then(() => {
                  subscribed = true;
                  update();
                }, noop);
              }
            }
            return result;
          };
        }
        return fn.bind(target);
      },
    });

  const inner = createAdapter(guard(main, false), {
    // The defaults (10,000 entries, 100 per read) lost cross-node signals in the benchmark's
    // renegotiation storm: the stream was trimmed before the other node had read it. Every
    // signal is one entry (~1.5 KB for an offer), so 100,000 bounds Redis at ~150 MB.
    maxLen: STREAM_MAX_LEN,
    readCount: STREAM_READ_COUNT,
    // We never send binary over the adapter: skip the per-packet binary scan.
    onlyPlaintext: true,
    streamName: `${NAME_PREFIX}:stream`,
    channelPrefix: `${NAME_PREFIX}:channel`,
    sessionKeyPrefix: `${NAME_PREFIX}:session:`,
  });

  // A plain function, not an arrow: Socket.IO calls the adapter option with `new`.
  // biome-ignore lint/complexity/useArrowFunction: an arrow function cannot be called with `new`.
  const adapter = function (nsp: Namespace) {
    const instance = inner(nsp) as unknown as PatchableAdapter;
    const publish = instance.doPublish.bind(instance);
    const respond = instance.doPublishResponse.bind(instance);
    const down = () => Promise.reject(new Error('redis is down'));
    instance.doPublish = (message) => (state === 'up' ? withTimeout(publish(message), PUBLISH_TIMEOUT_MS) : down());
    instance.doPublishResponse = (uid, response) =>
      state === 'up' ? withTimeout(respond(uid, response), PUBLISH_TIMEOUT_MS) : down();
    return instance;
  };

  return {
    adapter,
    state: () => state,
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (state !== 'up' && Date.now() < deadline && !closed) {
        await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
      }
      return state === 'up';
    },
    close() {
      if (closed) return;
      closed = true;
      for (const client of [main, ...duplicates]) {
        try {
          client.destroy();
        } catch {
          // already closed
        }
      }
    },
  };
}
