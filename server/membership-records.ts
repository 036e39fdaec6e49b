// A member's record as the Redis store (membership-redis.ts) hands it to the scripts and
// reads it back from their replies; the layout is membership-keys.ts's. Plain functions:
// ADMIT's arguments for a claim, a member list from the members hash, a refused name.
import { freeVariant, nameKeys } from '../protocol/name-key.ts';
import type { PeerInfo } from '../protocol/signaling.ts';
import { loadedKeys, type MemberClaim, type NameTaken, peerInfo, storedKeys } from './membership.ts';
import { storedNameKeys } from './membership-keys.ts';

/** ADMIT's ARGV for a claim held by `nodeId`; `force`: a write-back (no cap or name check). */
export const admitArgs = (claim: MemberClaim, nodeId: string, cap: number, force: boolean): string[] => [
  claim.peerId,
  claim.name,
  storedNameKeys(nameKeys(claim.name)),
  nodeId,
  claim.socketId,
  String(cap),
  force ? '1' : '0',
  storedKeys(claim.keys),
  claim.returning ? '1' : '0',
];

/** The members hash as HGETALL gives it (peer id, record, peer id, record…). */
export function pairsToMembers(flat: unknown): PeerInfo[] {
  if (!Array.isArray(flat)) return [];
  const members: PeerInfo[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const id = flat[i];
    const record = flat[i + 1];
    if (typeof id !== 'string' || typeof record !== 'string') continue;
    const [, , , name, keys] = record.split('\t');
    if (name !== undefined) members.push(peerInfo(id, name, loadedKeys(keys)));
  }
  return members;
}

export const stringSet = (value: unknown): Set<string> =>
  new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A {'name_taken', HKEYS names, holder} reply (ADMIT, RENAME) as the store answers it. */
export const nameTakenFrom = (reply: unknown[], name: string): NameTaken => ({
  ok: false,
  code: 'name_taken',
  suggestion: freeVariant(name, stringSet(reply[1])),
  holder: typeof reply[2] === 'string' ? reply[2] : '',
});
