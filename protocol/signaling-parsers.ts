// What a client sends, checked: the server parses every payload with these before using it,
// because TypeScript types say nothing about what a hostile client actually sends. Each
// returns a discriminated result and never throws on hostile input.
// zod/mini: the same parsers, tree-shaken; the classic API would add ~450 KB to the bundle.
import * as z from 'zod/mini';
import {
  MAX_CANDIDATE_LENGTH,
  MAX_M_LINE_INDEX,
  MAX_RESUME_TOKEN_LENGTH,
  MAX_SDP_LENGTH,
  MAX_SDP_MID_LENGTH,
  MAX_USERNAME_FRAGMENT_LENGTH,
  MIN_RESUME_TOKEN_LENGTH,
  PEER_ID_PATTERN,
  ROOM_ID_PATTERN,
} from './limits.ts';
import { normalizeName } from './name.ts';
import type { Skeleton } from './name-skeleton.ts';
import type { ErrorCode, ProtocolError } from './signaling-errors.ts';
import { peerKeysSchema } from './signaling-keys.ts';
import type { IceCandidate, JoinRequest, OutgoingSignal, RenameRequest } from './signaling-payloads.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

const roomIdSchema = z.string().check(z.regex(ROOM_ID_PATTERN));
const peerIdSchema = z.string().check(z.regex(PEER_ID_PATTERN));

const resumeSchema = z.strictObject({
  id: peerIdSchema,
  token: z.string().check(z.minLength(MIN_RESUME_TOKEN_LENGTH), z.maxLength(MAX_RESUME_TOKEN_LENGTH)),
});

const joinSchema = z.strictObject({
  roomId: z.unknown(),
  name: z.unknown(),
  resume: z.optional(resumeSchema),
  keys: z.optional(peerKeysSchema),
});

const descriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().check(z.maxLength(MAX_SDP_LENGTH)),
});

const candidateSchema = z.strictObject({
  candidate: z.string().check(z.maxLength(MAX_CANDIDATE_LENGTH)),
  sdpMid: z.optional(z.nullable(z.string().check(z.maxLength(MAX_SDP_MID_LENGTH)))),
  sdpMLineIndex: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(MAX_M_LINE_INDEX)))),
  usernameFragment: z.optional(z.nullable(z.string().check(z.maxLength(MAX_USERNAME_FRAGMENT_LENGTH)))),
});

const outgoingSignalSchema = z
  .strictObject({
    to: peerIdSchema,
    description: z.optional(descriptionSchema),
    candidate: z.optional(candidateSchema),
  })
  .check(
    z.refine((s) => (s.description === undefined) !== (s.candidate === undefined), {
      message: 'a signal carries exactly one of description or candidate',
    }),
  );

function fail<T>(code: ErrorCode, message: string): Parsed<T> {
  return { ok: false, error: { code, message } };
}

/**
 * Checks a room:join payload; the name comes back trimmed. `lookAlike`: the skeleton the name's
 * ending is also judged by (normalizeName).
 */
export function parseJoinRequest(raw: unknown, lookAlike?: Skeleton): Parsed<JoinRequest> {
  const shape = joinSchema.safeParse(raw);
  if (!shape.success) return fail('bad_request', 'room:join expects { roomId, name, resume?, keys? }');
  const room = roomIdSchema.safeParse(shape.data.roomId);
  if (!room.success) return fail('invalid_room', 'room id must be 16–64 characters of A–Z a–z 0–9 _ -');
  const name = normalizeName(shape.data.name, lookAlike);
  if (!name.ok) return fail('invalid_name', name.reason);
  const request: JoinRequest = { roomId: room.data, name: name.name };
  if (shape.data.resume) request.resume = shape.data.resume;
  if (shape.data.keys) request.keys = shape.data.keys;
  return { ok: true, value: request };
}

/** Checks a room:rename payload; the name comes back trimmed, judged as parseJoinRequest's. */
export function parseRenameRequest(raw: unknown, lookAlike?: Skeleton): Parsed<RenameRequest> {
  if (typeof raw !== 'object' || raw === null || Object.keys(raw).length !== 1 || !Object.hasOwn(raw, 'name')) {
    return fail('bad_request', 'room:rename expects { name }');
  }
  const name = normalizeName((raw as { name: unknown }).name, lookAlike);
  if (!name.ok) return fail('invalid_name', name.reason);
  return { ok: true, value: { name: name.name } };
}

/** Checks a signal payload: a peer id and exactly one of description or candidate. */
export function parseOutgoingSignal(raw: unknown): Parsed<OutgoingSignal> {
  const parsed = outgoingSignalSchema.safeParse(raw);
  if (!parsed.success) {
    return fail('bad_request', 'signal expects { to, description } or { to, candidate }');
  }
  const { to, description, candidate } = parsed.data;
  const signal: OutgoingSignal = { to };
  if (description) signal.description = description;
  if (candidate) signal.candidate = stripUndefined(candidate);
  return { ok: true, value: signal };
}

function stripUndefined(candidate: z.infer<typeof candidateSchema>): IceCandidate {
  const out: IceCandidate = { candidate: candidate.candidate };
  if (candidate.sdpMid !== undefined) out.sdpMid = candidate.sdpMid;
  if (candidate.sdpMLineIndex !== undefined) out.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment !== undefined) out.usernameFragment = candidate.usernameFragment;
  return out;
}

export function isRoomId(value: unknown): value is string {
  return typeof value === 'string' && ROOM_ID_PATTERN.test(value);
}
