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

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'roomlink' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
