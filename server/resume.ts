// Resume tickets let a reloaded or reconnected tab take its old peer id back, and nobody
// else. A ticket is stateless — any node that shares the secret can check it, also after a
// restart when the secret is configured:
//   token = base64url(expiry ‖ HMAC-SHA256(secret, "v2:roomId:peerId:expiry"))
// with expiry in unix seconds, 4 bytes big-endian. It is bound to one room (it cannot claim
// the same id elsewhere) and stops working at its expiry. Revocation (room:leave) needs
// state: resume-revocations.ts. Whether a live connection may be taken over is the
// join's to decide (resume-verdict.ts): a ticket only proves who you were.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ResumeTicket } from '../protocol/signaling.ts';

/**
 * How long a ticket works. Every join and resume hands out a fresh one, so this bounds how
 * long a tab may stay away (or stay connected without reconnecting) and still get its id
 * back; after it the tab simply joins as a new member.
 */
export const TICKET_LIFETIME_MS = 24 * 60 * 60 * 1000;

const EXPIRY_BYTES = 4;
const MAC_BYTES = 32;

export interface ResumeTokens {
  readonly lifetimeMs: number;
  issue(roomId: string, peerId: string, now?: number): ResumeTicket;
  /** True only for a ticket issued for this room and id, in its canonical form, not expired. */
  verify(roomId: string, ticket: ResumeTicket, now?: number): boolean;
  /**
   * When a ticket (verified) was issued, as its expiry tells: expiry − lifetime. The expiry is
   * rounded up to a whole second, so this is the true time or up to a second after it, never
   * before: a ticket issued after some instant never reads as issued before it.
   */
  issuedAt(ticket: ResumeTicket): number;
}

export interface ResumeTokenOptions {
  /** Default TICKET_LIFETIME_MS; tests shorten it. */
  lifetimeMs?: number;
}

export function createResumeTokens(secret: string | Buffer, options: ResumeTokenOptions = {}): ResumeTokens {
  const lifetimeMs = options.lifetimeMs ?? TICKET_LIFETIME_MS;
  const mac = (roomId: string, peerId: string, expiry: number): Buffer =>
    createHmac('sha256', secret).update(`v2:${roomId}:${peerId}:${expiry}`).digest();

  return {
    lifetimeMs,
    issue(roomId, peerId, now = Date.now()) {
      const expiry = Math.ceil((now + lifetimeMs) / 1000);
      const head = Buffer.alloc(EXPIRY_BYTES);
      head.writeUInt32BE(expiry);
      return { id: peerId, token: Buffer.concat([head, mac(roomId, peerId, expiry)]).toString('base64url') };
    },
    verify(roomId, ticket, now = Date.now()) {
      const given = Buffer.from(ticket.token, 'base64url');
      // One encoding per token: Node's decoder skips characters outside the alphabet and
      // accepts padding and '+/', so several strings decode to the same bytes.
      if (given.toString('base64url') !== ticket.token) return false;
      if (given.length !== EXPIRY_BYTES + MAC_BYTES) return false;
      const expiry = given.readUInt32BE(0);
      if (expiry * 1000 <= now) return false;
      // Lengths are equal (checked above), as timingSafeEqual needs; the length is no secret.
      return timingSafeEqual(given.subarray(EXPIRY_BYTES), mac(roomId, ticket.id, expiry));
    },
    issuedAt(ticket) {
      const given = Buffer.from(ticket.token, 'base64url');
      return given.length < EXPIRY_BYTES ? Number.NaN : given.readUInt32BE(0) * 1000 - lifetimeMs;
    },
  };
}
