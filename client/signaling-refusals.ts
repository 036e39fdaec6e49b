// What a refused join leads to, in this order: our peer id being taken back by another join,
// or our name still held by our own earlier connection, is waited out with the same join sent
// again meanwhile ('reclaiming'); a name that is taken, another one tried if the page gives
// one; out for now (the room is full, …), the same join later by itself (signaling-retry.ts);
// anything else, refused for good ('rejected').
import type { ProtocolError } from '../protocol/index.ts';
import { refusalPasses } from './join-retry.ts';
import type { SignalingHandlers } from './signaling-page.ts';
import type { JoinRetry } from './signaling-retry.ts';

/** A join refused for a taken name is retried with another name at most this often in a row. */
export const NAME_RETRIES = 5;
/**
 * Our name held by our own earlier connection (a network change; it has not missed its
 * heartbeat yet): the same join is retried when the server says, at most this often in a
 * row, the page saying so ('reclaiming': the server answers, it is not unreachable). The
 * server's wait is until that connection counts as silent, so one is enough; the second
 * covers a last packet of it still in flight. A duplicated tab drops its copy of the ticket
 * before it joins (tab-claim.ts); one whose original did not answer in time meets a
 * connection that stays alive, and then takes another name like anyone else.
 */
const OWN_NAME_WAITS = 2;
/** The longest such wait we accept from the server (its heartbeat is 35 s by default). */
const OWN_NAME_MAX_WAIT_MS = 60_000;
/**
 * Another join is taking our peer id back (name_taken with `resuming`): usually a second tab
 * with our ticket, done in moments, or a claim left behind by a node that died mid-join,
 * which stands until it expires (the server says when at the latest: six of its cluster
 * timeouts, minutes with long ones). We ask again this often meanwhile, with the same ticket
 * and name, and stop waiting once that time is past (or CLAIM_MAX_WAIT_MS, whichever first).
 */
const RESUME_POLL_MS = 1_000;
const CLAIM_MAX_WAIT_MS = 10 * 60_000;

export interface RefusalsOptions {
  /** Sends the join again now, with this many retries with another name left. */
  join(nameRetries: number): void;
  /** Joins after a wait, unless something joined meanwhile or the connection went. */
  joinLater(nameRetries: number, ms: number): void;
  retry: Pick<JoinRetry, 'refused'>;
}

export interface Refusals {
  /** The server refused our join, sent with `nameRetries` retries with another name left. */
  answer(error: ProtocolError, nameRetries: number, handlers: SignalingHandlers): void;
  /** In the room: our name's waits are whole again, and no claim on our peer id is waited out. */
  joined(): void;
  /** Connected anew: a claim on our peer id met from now on is waited out afresh. */
  connected(): void;
}

export function createRefusals({ join, joinLater, retry }: RefusalsOptions): Refusals {
  let ownNameWaits = OWN_NAME_WAITS;
  /** Until when a claim on our peer id may stand (name_taken, resuming), while we wait it out. */
  let claimWaitUntil: number | undefined;
  return {
    answer(error, nameRetries, handlers) {
      const { retryAfterMs } = error;
      if (error.resuming === true && typeof retryAfterMs === 'number') {
        const now = Date.now();
        claimWaitUntil ??= now + Math.min(Math.max(0, retryAfterMs), CLAIM_MAX_WAIT_MS) + RESUME_POLL_MS;
        if (now < claimWaitUntil) {
          handlers.onStatus('reclaiming', error);
          joinLater(nameRetries, Math.min(RESUME_POLL_MS, claimWaitUntil - now));
          return;
        }
      }
      if (error.code === 'name_taken' && typeof retryAfterMs === 'number' && ownNameWaits > 0) {
        ownNameWaits -= 1;
        handlers.onStatus('reclaiming', error);
        joinLater(nameRetries, Math.min(Math.max(0, retryAfterMs), OWN_NAME_MAX_WAIT_MS));
        return;
      }
      if (error.code === 'name_taken' && nameRetries > 0 && handlers.onNameTaken(error)) {
        join(nameRetries - 1);
        return;
      }
      // Out for now (the room is full, …): the same join again later, by itself.
      if (refusalPasses(error.code)) {
        retry.refused();
        handlers.onStatus('refused', error);
        return;
      }
      handlers.onStatus('rejected', error);
    },
    joined() {
      ownNameWaits = OWN_NAME_WAITS;
      claimWaitUntil = undefined;
    },
    connected() {
      claimWaitUntil = undefined;
    },
  };
}
