// room:join: the membership store admits the member (the room's cap, its names), as a new
// peer or under the peer id its ticket takes back (resume-verdict.ts); then it is answered
// and announced to the room. One refused for a full room waits for a seat (waiting.ts).
// The steps, one concept a file, in the order a join takes them: join-request.ts (what a
// join must be before it is decided), resumption.ts (its ticket's peer id), admission.ts
// (the store's decision), then join-refusals.ts (not admitted) or seating.ts (admitted).
import { nanoid } from 'nanoid';
import { PEER_ID_LENGTH } from '../protocol/limits.ts';
import { createAdmission, type Joiner } from './admission.ts';
import type { Handler } from './connection.ts';
import type { Departure } from './departure.ts';
import { createJoinRefusals } from './join-refusals.ts';
import { createJoinChecks } from './join-request.ts';
import type { Refusals } from './refusals.ts';
import type { ResumeVerdicts } from './resume-verdict.ts';
import { createResumptions, type Resumption } from './resumption.ts';
import type { RoomServer } from './rooms.ts';
import { createSeating } from './seating.ts';
import type { SignalingDeps } from './signaling.ts';

export function createJoin(
  io: RoomServer,
  deps: Pick<
    SignalingDeps,
    | 'config'
    | 'logger'
    | 'membership'
    | 'metrics'
    | 'resume'
    | 'ice'
    | 'isShuttingDown'
    | 'isClosing'
    | 'returning'
    | 'newcomersWait'
    | 'subscribed'
  >,
  refusals: Refusals,
  verdicts: ResumeVerdicts,
  departure: Departure,
): Handler {
  const { allowed } = refusals;
  const checkedJoin = createJoinChecks(deps, refusals);
  const resumptionOf = createResumptions(deps, verdicts);
  const admit = createAdmission(deps);
  const { resumeBusy, newcomerWaits, notAdmitted } = createJoinRefusals(deps, refusals);
  const { gone, seated } = createSeating(io, deps, departure);

  const join: Handler = async (conn, args, ack) => {
    const startedAt = performance.now();
    // Charged before any check: a flood of malformed joins is a flood all the same.
    if (!allowed(conn, 'room:join', ack)) return;
    const checked = checkedJoin(conn, args, ack);
    if (checked === null) return;
    const { roomId, name, resume, keys } = checked.request;
    const { socket } = conn;

    conn.joining = true;
    let resumption: Resumption | undefined;
    try {
      resumption = await resumptionOf(socket, roomId, resume);
      if (resumption.busy) return resumeBusy(conn, ack, resumption.endsWithinMs);
      const { resumed } = resumption;
      const newcomerWaitMs = resumed === undefined ? (deps.newcomersWait?.() ?? 0) : 0;
      if (newcomerWaitMs > 0) return newcomerWaits(conn, ack, newcomerWaitMs);
      const joiner: Joiner = { roomId, peerId: resumed?.id ?? nanoid(PEER_ID_LENGTH), name, keys, resumed, startedAt };
      const { admission, returning } = await admit(socket, joiner);
      // Awaited, not returned: the finally below (the flag, the claim) must run after them.
      if (!admission.ok) return await notAdmitted(conn, ack, joiner, admission, resumption.owner);
      if (!socket.connected) return await gone(socket, joiner);
      seated(socket, checked.respond, joiner, { members: admission.members, returning });
    } finally {
      conn.joining = false;
      resumption?.release();
    }
  };

  return join;
}
