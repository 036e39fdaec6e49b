// What a room:join must be before it is decided (join.ts): called as (request, ack), on a
// server that is not shutting down, with a payload that parses, from a connection that is
// neither in a room nor joining one. Anything else is refused here, in that order.
import { skeleton } from '../protocol/name-key.ts';
import { type JoinAck, type JoinRequest, type ProtocolError, parseJoinRequest } from '../protocol/signaling.ts';
import { type Ack, type Connection, protocolError } from './connection.ts';
import type { Refusals } from './refusals.ts';
import { memberOf } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';

/** A join that may be decided: what it asks for, and its ack, which answers an admission. */
export interface CheckedJoin {
  request: JoinRequest;
  respond: (response: JoinAck) => void;
}

export function createJoinChecks(deps: Pick<SignalingDeps, 'isShuttingDown'>, { reject }: Refusals) {
  /** The join's request and ack; null once it has been refused (and answered). */
  return (conn: Connection, args: unknown[], ack: Ack | undefined): CheckedJoin | null => {
    const refuse = (error: ProtocolError): null => {
      reject(conn, 'room:join', ack, error);
      return null;
    };
    const [payload] = args;
    if (args.length !== 2 || !ack) return refuse(protocolError('bad_request', 'room:join expects (request, ack)'));
    if (deps.isShuttingDown()) {
      return refuse(protocolError('shutting_down', 'the server is shutting down; reconnect shortly'));
    }
    const parsed = parseJoinWithoutBadTicket(payload);
    if (!parsed.ok) return refuse(parsed.error);
    if (conn.joining || memberOf(conn.socket.data)) {
      return refuse(protocolError('already_joined', 'this connection is already in a room; leave it first'));
    }
    return { request: parsed.value, respond: ack as (response: JoinAck) => void };
  };
}

/**
 * parseJoinRequest with the server's confusables (a name's ending judged as drawn too:
 * normalizeName), except that a malformed resume ticket (a corrupted sessionStorage, an old
 * client) is dropped rather than refused: a bad ticket costs the old id, never entry.
 */
function parseJoinWithoutBadTicket(payload: unknown): ReturnType<typeof parseJoinRequest> {
  const parsed = parseJoinRequest(payload, skeleton);
  if (parsed.ok || parsed.error.code !== 'bad_request') return parsed;
  if (typeof payload !== 'object' || payload === null || !Object.hasOwn(payload, 'resume')) return parsed;
  const { resume: _dropped, ...rest } = payload as Record<string, unknown>;
  const retried = parseJoinRequest(rest, skeleton);
  return retried.ok ? retried : parsed;
}
