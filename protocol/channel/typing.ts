// "Someone is typing": a start (refreshed every couple of seconds while the keys move) and a
// stop (the message went, or the keys stopped). Carries no text.
import * as z from 'zod/mini';

/** The receiver accepts at most one start per member per this many ms (issue 11's cap). */
export const TYPING_CAP_PERIOD_MS = 1_000;

export const typingSchemas = [z.strictObject({ t: z.literal('typing'), active: z.boolean() })] as const;

export type TypingMessage = z.infer<(typeof typingSchemas)[number]>;
