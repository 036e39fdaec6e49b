// Resume tokens let a reloaded or reconnected tab take its old peer id back, and nobody
// else. They are stateless — token = base64url(HMAC-SHA256(secret, "roomId:peerId")) — so
// any node that shares the secret can check them, also after a restart when the secret is
// configured. A token is bound to one room: it cannot claim the same id elsewhere.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ResumeTicket } from '../protocol/signaling.ts';

export interface ResumeTokens {
  issue(roomId: string, peerId: string): ResumeTicket;
  verify(roomId: string, ticket: ResumeTicket): boolean;
}

export function createResumeTokens(secret: string | Buffer): ResumeTokens {
  const mac = (roomId: string, peerId: string): Buffer =>
    createHmac('sha256', secret).update(`${roomId}:${peerId}`).digest();

  return {
    issue(roomId, peerId) {
      return { id: peerId, token: mac(roomId, peerId).toString('base64url') };
    },
    verify(roomId, ticket) {
      const expected = mac(roomId, ticket.id);
      const given = Buffer.from(ticket.token, 'base64url');
      // One encoding per token: Node's decoder skips characters outside the alphabet and
      // accepts padding and '+/', so several strings decode to the same bytes.
      if (given.toString('base64url') !== ticket.token) return false;
      // Length first: timingSafeEqual throws on unequal lengths. The length is no secret.
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
