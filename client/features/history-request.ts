// Which chunks answer our history request. A link that drops mid-answer is asked again once
// it reopens, and the member answers from the top; but what it still had to send of the
// earlier answer may reach us first (its chunks in flight went with the old channel, and its
// last says `done`). So each request has a fresh number, every chunk of its answer echoes it
// (history-answer.ts), and only chunks with the number of our latest request are taken.
// What came right behind a new link's hello reaches the features before they may ask again
// on it (member-proof.ts): from that hello on, no chunk is taken until the new request went.
// A member whose hello said an older protocol (or that we never heard a hello from: reached
// only through a relay) gets requests without a number, and its answers are taken as before.
import { HISTORY_REQUEST_NUMBER_VERSION, type MessageOf } from '../../protocol/index.ts';
import { type MemberHandle, speaks } from '../feature.ts';

export type HistoryRequest = MessageOf<'history:req'>;

/**
 * The chunks that answer our latest request to a member: those with its number; 'any' (it
 * went without one, to an older member: as before); 'none' (it went on a link that is gone,
 * and we ask again once the new one opens).
 */
export type Expected = number | 'any' | 'none';

/**
 * Numbers our history requests, each afresh (to any member). They start anywhere: a member
 * keeps what it still had to send us across our reload, and the rest of the answer to the
 * previous page's first request must not pass for the answer to this page's.
 */
export function createHistoryRequests(start = Math.floor(Math.random() * 2 ** 32)) {
  let last = start;
  return {
    /** Our next request to this member: numbered only if its hello said it reads numbers. */
    next(member: Pick<MemberHandle, 'version'>): HistoryRequest {
      // An older page's strict schema would refuse a request with a field it does not know.
      if (!speaks(member, HISTORY_REQUEST_NUMBER_VERSION, false)) return { t: 'history:req' };
      last += 1;
      return { t: 'history:req', n: last };
    },
  };
}

/** What answers this request, once it went. */
export const expectedFor = (request: HistoryRequest): Expected => request.n ?? 'any';

export function answersRequest(expected: Expected, chunk: MessageOf<'history:lines'>): boolean {
  return expected === 'any' || chunk.n === expected;
}
