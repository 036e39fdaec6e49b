// How a refused event is answered, and the per-event rate budget (rate-limit.ts) whose
// refusal is one of them.
import type { ProtocolError } from '../protocol/signaling.ts';
import { type Ack, type Connection, idsOf, protocolError } from './connection.ts';
import type { KnownEvent } from './metrics.ts';
import type { LimitedEvent } from './rate-limit.ts';
import type { SignalingDeps } from './signaling.ts';

export type Refusals = ReturnType<typeof createRefusals>;

export function createRefusals(deps: Pick<SignalingDeps, 'logger' | 'metrics'>) {
  const { logger: log, metrics } = deps;

  /**
   * Answers a rejected event: through its ack if it has one, else with an 'error' event —
   * unless the guard's refusal budget is spent, which cuts the connection off instead.
   */
  const reject = (conn: Connection, event: KnownEvent, ack: Ack | undefined, error: ProtocolError): void => {
    log.debug({ ...idsOf(conn.socket), event, code: error.code }, 'rejected');
    metrics?.rejected(event, error.code);
    if (event === 'room:join') metrics?.join(error.code);
    if (conn.guard && !conn.guard.refused()) return;
    if (ack) ack({ ok: false, error });
    else conn.socket.emit('error', error);
  };

  /**
   * Takes a token for the event; on refusal answers rate_limited, naming the event, and
   * returns false. A rename costs a join token: it is announced to the whole room like one.
   */
  const allowed = (conn: Connection, event: LimitedEvent | 'room:rename', ack: Ack | undefined): boolean => {
    const bucket: LimitedEvent = event === 'room:rename' ? 'room:join' : event;
    const scope = conn.limiter?.take(bucket) ?? null;
    if (scope === null) return true;
    metrics?.rateLimited(bucket, scope);
    reject(conn, event, ack, protocolError('rate_limited', `too many ${event} events; slow down`));
    return false;
  };

  return { reject, allowed };
}
