// What the server sends that does not parse (protocol/server-events.ts parses it all, as
// anything from outside): dropped, each kind said once in the console, and an ack that does
// not parse taken as a refusal of our own words.
import type { ProtocolError } from '../protocol/index.ts';

export interface Malformed {
  /** A server event dropped as malformed: the first of each kind is said in the console. */
  malformed(event: string): void;
  /** An ack that does not parse: a refusal of our own words, as if the server had not answered. */
  unparsed(event: string): { ok: false; error: ProtocolError };
}

export function createMalformed(): Malformed {
  /** Server events dropped as malformed, each kind said once in the console. */
  const malformedSeen = new Set<string>();
  const malformed = (event: string): void => {
    if (malformedSeen.has(event)) return;
    malformedSeen.add(event);
    console.warn('roomlink: the server sent a malformed event, dropped', event);
  };
  return {
    malformed,
    unparsed(event) {
      malformed(event);
      return { ok: false, error: { code: 'internal', message: 'the server answered with something else' } };
    },
  };
}
