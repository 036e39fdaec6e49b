// Our peer id in the room: the server's to give, null until the join's answer, and whether it
// is the id this tab had in the room before, given back (a reload, said as such in the chat).
// Separate from main.ts because it has one writer, the join's answer (room-events.ts), and
// many readers, which only ask.
import { loadResume } from '../storage.ts';

export interface OwnId {
  /** Our id once joined; null before. */
  current(): string | null;
  /** Our id, or '' before the join (what the features take: no member has that id). */
  orEmpty(): string;
  /** The server put us in the room under `id`. */
  joined(id: string): void;
  /** The id we have is the one this tab had in the room before: a reload. */
  returned(): boolean;
}

export function createOwnId(roomId: string): OwnId {
  /** The id this tab had in the room before: its resume ticket, read before the join's answer replaces it. */
  const returningId = loadResume(roomId)?.id;
  let id: string | null = null;
  return {
    current: () => id,
    orEmpty: () => id ?? '',
    joined(given) {
      id = given;
    },
    returned: () => id !== null && id === returningId,
  };
}
