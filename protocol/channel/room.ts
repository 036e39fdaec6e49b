// The room's name: any member may set it, change it or clear it, and every page shows the
// same one. A change goes to every member at once; a link that opens hears the name its
// other end holds (`known`), which is how a member who joins later learns it, with no line
// in the chat. Each name carries its setter (`by`, its peer id, and `byName`, the name it
// went by) and the setter's signature over all of it with the time it was set (`at`, the
// setter's clock): a member who passes a name on cannot alter it or put it in another's
// mouth, and the latest `at` wins (ties: the greater setter id), so every page converges.
//
// Since channel protocol 9 (limits.ts): sent only to members whose hello said 9 or more; an
// older page's strict schema would refuse the type, and it never gets it.
import * as z from 'zod/mini';
import { MAX_CLOCK_SKEW_MS, NAME_MAX_LENGTH } from '../limits.ts';
import { stacksPastMax } from '../marks.ts';
import { normalizeName, showsSomething } from '../name.ts';
import { lineTimeSchema, peerIdSchema, signatureSchema } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** The first channel protocol version (a member's hello says its own) that takes `room:name`. */
export const ROOM_NAME_VERSION = 9;
/** A room's name, in characters (code points) once trimmed. */
export const ROOM_NAME_MAX_LENGTH = 64;
/**
 * A name set further ahead of the receiver's clock than this is refused: a member whose `at`
 * lay far in the future would hold the name against every later change.
 */
export const ROOM_NAME_AHEAD_MS = MAX_CLOCK_SKEW_MS;

/** Control characters, line and paragraph breaks, and bidi controls: none in a room's name. */
const UNFIT = /[\p{Cc}\p{Zl}\p{Zp}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * What a person typed as the room's name, made one: trimmed, runs of spaces (line breaks
 * among them) made one space. '' clears the name; null: it cannot be one (too long, it holds a
 * control character, a letter under a stack of marks (marks.ts), or nothing in it shows).
 * Never throws.
 */
export function roomNameOf(raw: string): string | null {
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  // A stack of marks on a letter of the header's name painted down over the page (an
  // exploratory pass); every page would cut it, so a name is refused, as a member's is.
  if ([...name].length > ROOM_NAME_MAX_LENGTH || UNFIT.test(name) || stacksPastMax(name)) return null;
  // A name of nothing visible (zero-width spaces, fillers, blank symbols) is no name: the
  // header showed an empty box, the chat "named the room “”" (an exploratory pass).
  if (name !== '' && !showsSomething(name)) return null;
  return name;
}

/** A name on the wire: one roomNameOf leaves as it is, and not empty. */
const roomNameSchema = z.string().check(
  z.minLength(1),
  z.maxLength(2 * ROOM_NAME_MAX_LENGTH),
  z.refine((name) => roomNameOf(name) === name),
);

export const roomSchemas = [
  /**
   * The room is called `name` (absent: it has no name) since `at`, set by the member `by`, who
   * went by `byName`; `sig` is its signature over those four (client/identity.ts), absent only
   * when its browser cannot sign. `known`: the name its sender holds, said as a link opens,
   * not a change made now (no line in the chat).
   */
  z.strictObject({
    t: z.literal('room:name'),
    name: z.optional(roomNameSchema),
    by: peerIdSchema,
    // A name a member could have (the server gave every setter one): none other is shown in
    // its place, "You" no more than a line break or a stack of marks. (Up to two UTF-16 units
    // a character: 32 emoji are a name.)
    byName: z.string().check(
      z.maxLength(2 * NAME_MAX_LENGTH),
      z.refine((name) => {
        const normal = normalizeName(name);
        return normal.ok && normal.name === name;
      }),
    ),
    at: lineTimeSchema,
    sig: z.optional(signatureSchema),
    known: z.optional(z.literal(true)),
  }),
] as const;

export type RoomMessage = z.infer<(typeof roomSchemas)[number]>;

/**
 * One from each member as its link opens, and a change by hand now and then: each costs the
 * receiver a signature check and, for a change, a line in the chat. A member past it is muted.
 */
export const roomRates = {
  'room:name': { perSecond: 1, burst: 8 },
} as const satisfies Record<RoomMessage['t'], ChannelRate>;
