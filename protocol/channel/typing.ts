// "Someone is typing": a start (refreshed every couple of seconds while the keys move) and a
// stop (the message went, or the keys stopped). Carries no text.
import * as z from 'zod/mini';
import type { ChannelRate } from './rates.ts';

/** The receiver accepts at most one start per member per this many ms (issue 11's cap). */
export const TYPING_CAP_PERIOD_MS = 1_000;

export const typingSchemas = [z.strictObject({ t: z.literal('typing'), active: z.boolean() })] as const;

export type TypingMessage = z.infer<(typeof typingSchemas)[number]>;

/**
 * The link-level budget (client/budget.ts): well above the feature's own cap of one per
 * TYPING_CAP_PERIOD_MS, which ignores the excess; a member far beyond it is muted.
 */
export const typingRates = {
  typing: { perSecond: 5, burst: 20 },
} as const satisfies Record<TypingMessage['t'], ChannelRate>;
