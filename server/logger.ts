// Structured logs (pino). Every line about a room carries roomId and peerId (use
// logger.child({ roomId, peerId })). What users type — chat text, display names — and SDP
// bodies never belong in a log line; the redaction below is a second line of defence for a
// payload that gets logged by mistake, not a licence to log payloads.
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

const REDACTED_PATHS = [
  'name',
  '*.name',
  'text',
  '*.text',
  'sdp',
  '*.sdp',
  '*.*.sdp',
  'description',
  '*.description',
  'candidate',
  '*.candidate',
  'payload',
  '*.payload',
];

/**
 * An error under `err`, as a line shows it: an Error with its class (ClientOfflineError,
 * DeadlineError, …), message, stack and own fields (a code: ECONNREFUSED), as pino has it;
 * anything else as it is (a heartbeat thread's report carries only a message). pino's own
 * serializer took anything with a message for an error named after its constructor: the
 * `{ message }` objects the Redis code logged came out as {"type":"Object",…,"stack":""},
 * and the error's class, which says what failed, was lost.
 */
export function serializeErr(value: unknown): unknown {
  return value instanceof Error ? pino.stdSerializers.err(value) : value;
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'roomlink' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeErr },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The few lines someone starting the node waits for: where it listens, the STUN it hands
 * out, the tunnel's link, that it is shutting down. Logged at info whatever LOG_LEVEL asks
 * of the rest (a node run at warn still says where it is, and the scripts that start one at
 * warn, the benchmarks among them, wait for that line), and not at all when it is silent.
 */
export function noticesOf(logger: Logger): Logger {
  return logger.child({}, { level: logger.level === 'silent' ? 'silent' : 'info' });
}
