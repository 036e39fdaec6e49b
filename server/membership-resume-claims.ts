// Taking a peer id back with a ticket, for the Redis store (membership-redis.ts): one join
// at a time across nodes, through a key with an expiry in the room's hash slot
// (membership-keys.ts CLAIM_RESUME), and always on this node too, so that a claim holds
// here while Redis is away or slow.
import { createResumeClaims, type MembershipStore, RESUME_CLAIM_MS, type ResumeClaim } from './membership.ts';
import type { MembershipConnection } from './membership-connection.ts';
import { CLAIM_RESUME, END_RESUME, resumingKey } from './membership-keys.ts';
import { deadline } from './timeout.ts';

/**
 * A claim outlives the join it guards: that join may wait, after its claim, for its
 * subscriptions (one timeout), its admission (a room's write-back, then the script: two),
 * and, if its connection dropped meanwhile, its leave (two), each bounded by the command
 * timeout; one more for a main thread that ran late. With a 10 s claim a timeout over
 * ~3.3 s let a join outlive its claim, and a second join take the same id back meanwhile.
 */
const RESUME_CLAIM_TIMEOUTS = 6;

export type SharedResumeClaims = Pick<MembershipStore, 'claimResume' | 'endResume'>;

/** `timeoutMs`: the store's command timeout (a claim not answered within it stands here alone). */
export function createSharedResumeClaims(connection: MembershipConnection, timeoutMs: number): SharedResumeClaims {
  const { redis } = connection;
  const claimMs = Math.max(RESUME_CLAIM_MS, RESUME_CLAIM_TIMEOUTS * timeoutMs);
  /** This node's takings-back of peer ids: always claimed here too (Redis may be away). */
  const resumes = createResumeClaims();

  return {
    async claimResume(roomId, peerId, socketId): Promise<ResumeClaim> {
      // A join on this node holds it: it ends with that join, within a claim's life.
      if (!resumes.claim(roomId, peerId, socketId)) return { ok: false, endsWithinMs: claimMs };
      if (!connection.up()) return { ok: true }; // this node's claim is all there is now
      let left: unknown;
      try {
        const call = { keys: [resumingKey(roomId, peerId)], arguments: [socketId, String(claimMs)] };
        left = await deadline(redis.eval(CLAIM_RESUME, call), timeoutMs);
      } catch {
        return { ok: true }; // not answered in time: as when Redis is away
      }
      if (left === -1) return { ok: true };
      resumes.end(roomId, peerId, socketId);
      return { ok: false, endsWithinMs: typeof left === 'number' && left > 0 ? left : claimMs };
    },
    endResume(roomId, peerId, socketId) {
      resumes.end(roomId, peerId, socketId);
      if (!connection.up()) return;
      const call = { keys: [resumingKey(roomId, peerId)], arguments: [socketId] };
      // Left to expire if this does not go through: it only makes a ticket wait that long.
      redis.eval(END_RESUME, call).catch(() => {});
    },
  };
}
