// Read receipts: the reader tells a line's author which of its lines were on a visible
// screen. Delivery needs no message of its own: the chat's acks already say it.
import * as z from 'zod/mini';
import { MESSAGE_ID_PATTERN } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** Read receipts travel in batches of at most this many line ids. */
export const MAX_READ_IDS = 256;

export const receiptSchemas = [
  z.strictObject({
    t: z.literal('receipt:read'),
    ids: z.array(z.string().check(z.regex(MESSAGE_ID_PATTERN))).check(z.minLength(1), z.maxLength(MAX_READ_IDS)),
  }),
] as const;

export type ReceiptMessage = z.infer<(typeof receiptSchemas)[number]>;

/** The link-level budget (client/budget.ts): read receipts batch many ids per message. */
export const receiptRates = {
  'receipt:read': { perSecond: 20, burst: 100 },
} as const satisfies Record<ReceiptMessage['t'], ChannelRate>;
