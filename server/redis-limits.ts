// Redis cuts off a pub/sub subscriber whose unread output passes a limit
// (client-output-buffer-limit pubsub; by default 32 MB at once, or 8 MB for 60 s). A node
// busy enough to fall that far behind on its subscription loses it, and every signal
// published to it until it has subscribed again: the benchmark saw it at 10k sockets on two
// nodes (one cut, 1,753 bots whose renegotiation never completed). Redis is not ours to
// reconfigure, so a node reads the limit once connected and says what to set.
import type { RedisConnection } from './cluster.ts';

/** What the README recommends: room for a busy node's backlog in a signaling storm. */
export const RECOMMENDED_PUBSUB_LIMIT = 'pubsub 256mb 64mb 60';
const MIN_HARD_BYTES = 256 * 1024 * 1024;
const MIN_SOFT_BYTES = 64 * 1024 * 1024;

/**
 * Advice for a CONFIG GET client-output-buffer-limit value ("normal 0 0 0 replica … pubsub
 * 33554432 8388608 60"), or null when the pub/sub limits are at least the recommended ones
 * (0 means no limit) or cannot be read from it.
 */
export function pubSubLimitAdvice(value: string): string | null {
  const match = /\bpubsub (\d+) (\d+) (\d+)\b/.exec(value);
  if (!match) return null;
  const [hard, soft, seconds] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const hardTooLow = hard !== 0 && hard < MIN_HARD_BYTES;
  // A soft limit of 0 seconds is enforced too: Redis cuts a subscriber about a second over it.
  const softTooLow = soft !== 0 && soft < MIN_SOFT_BYTES;
  if (!hardTooLow && !softTooLow) return null;
  const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
  const limits = [
    ...(hard !== 0 ? [`passes ${mb(hard)}`] : []),
    ...(soft !== 0 ? [`stays over ${mb(soft)} for ${Math.max(seconds, 1)} s`] : []),
  ];
  return (
    `Redis cuts off a subscriber whose backlog ${limits.join(' or ')}: ` +
    'under load a node can lose its subscription and the signals published meanwhile. ' +
    `Set "client-output-buffer-limit ${RECOMMENDED_PUBSUB_LIMIT}" in redis.conf (README, "Running several nodes")`
  );
}

/** The configured limits from a CONFIG GET reply (RESP2 array or RESP3 map), or null. */
export function configValue(reply: unknown): string | null {
  if (Array.isArray(reply)) return typeof reply[1] === 'string' ? reply[1] : null;
  if (reply !== null && typeof reply === 'object') {
    const value = (reply as Record<string, unknown>)['client-output-buffer-limit'];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/** A client of one Redis (a Cluster client's sendCommand takes a key first). */
type SingleRedis = RedisConnection & { sendCommand(args: string[]): Promise<unknown> };

/**
 * Once the connection to one Redis is first ready, reads the limit and warns if it is low.
 * A Redis that refuses CONFIG (a managed service) is not asked again and gets no warning.
 * Resolves once the answer (or refusal) is in.
 */
export function watchPubSubLimit(connection: RedisConnection, warn: (advice: string) => void): Promise<void> {
  const single = connection as SingleRedis;
  return new Promise((resolve) => {
    let asked = false;
    connection.on('ready', () => {
      if (asked) return;
      asked = true;
      single
        .sendCommand(['CONFIG', 'GET', 'client-output-buffer-limit'])
        .then(
          (reply) => {
            const value = configValue(reply);
            const advice = value === null ? null : pubSubLimitAdvice(value);
            if (advice !== null) warn(advice);
          },
          () => {},
        )
        .finally(resolve);
    });
  });
}
