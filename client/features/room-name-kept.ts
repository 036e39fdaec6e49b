// The room's name outlives a reload of the tab: kept in its sessionStorage (storage.ts) as the
// `room:name` message it came as, with whose word it was, and read back with the protocol's
// parser, as a member's would be; anything else is left out. It is the room's, not ours: a
// reload that got a new peer id keeps it too, and passes it on as any member does.
import { encodeChannelMessage, type MessageOf, NAME_MAX_LENGTH, parseChannelMessage } from '../../protocol/index.ts';
import type { Passer } from './room-name.ts';

type RoomNameMessage = MessageOf<'room:name'>;

/** Where the room's name is kept across a reload (storage.ts): what `save` was given, or anything. */
export interface RoomNameStore {
  load(): unknown;
  save(kept: { message: string; says: Passer | null }): void;
}

export const keepForm = (message: RoomNameMessage, says: Passer | null): { message: string; says: Passer | null } => ({
  message: encodeChannelMessage(message),
  says,
});

const isPasser = (value: unknown): value is Passer => {
  if (typeof value !== 'object' || value === null) return false;
  const { id, name } = value as Record<string, unknown>;
  // In characters (code points), as names are counted: a passer named with 17 or more emoji was refused.
  return typeof id === 'string' && id !== '' && typeof name === 'string' && [...name].length <= NAME_MAX_LENGTH;
};

/** The name as kept, if it reads as one. */
export function savedRoomName(saved: unknown): { message: RoomNameMessage; says: Passer | null } | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const { message, says } = saved as Record<string, unknown>;
  const parsed = parseChannelMessage(message);
  if (parsed?.t !== 'room:name' || !(says === null || isPasser(says))) return null;
  return { message: parsed, says: says === null ? null : { id: says.id, name: says.name } };
}
