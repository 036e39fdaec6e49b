// Messages on the RTCDataChannel between two browsers; the server never sees these. A peer
// is as untrusted as a socket client: parseChannelMessage returns null for anything that is
// not exactly one of the shapes below, and never throws.
//
// Each channel feature declares its own messages in a file of this folder (schemas and the
// type they infer); this file only assembles them. Adding a feature adds one import and one
// spread below, nothing else.
import * as z from 'zod/mini';
import { MAX_CHANNEL_MESSAGE_LENGTH } from '../limits.ts';
import { type CallProtocolMessage, callRates, callSchemas } from './calls.ts';
import { type ChatProtocolMessage, chatRates, chatSchemas } from './chat.ts';
import { type CoreMessage, coreRates, coreSchemas } from './core.ts';
import { type EditMessage, editRates, editSchemas } from './edits.ts';
import { type FileMessage, fileRates, fileSchemas, MAX_PENDING_OFFERS } from './files.ts';
import { type HistoryMessage, historyRates, historySchemas } from './history.ts';
import type { ChannelRate } from './rates.ts';
import { type ReactionMessage, reactionRates, reactionSchemas } from './reactions.ts';
import { type ReceiptMessage, receiptRates, receiptSchemas } from './receipts.ts';
import { type RelayMessage, relayRates, relaySchemas } from './relay.ts';
import { type RoomMessage, roomRates, roomSchemas } from './room.ts';
import { type TypingMessage, typingRates, typingSchemas } from './typing.ts';

export * from './calls.ts';
export * from './chat.ts';
export * from './core.ts';
export * from './edits.ts';
export * from './files.ts';
export * from './history.ts';
export * from './rates.ts';
export * from './reactions.ts';
export * from './receipts.ts';
export * from './relay.ts';
export * from './room.ts';
export * from './typing.ts';

const channelMessageSchema = z.discriminatedUnion('t', [
  ...coreSchemas,
  ...chatSchemas,
  ...editSchemas,
  ...historySchemas,
  ...typingSchemas,
  ...receiptSchemas,
  ...reactionSchemas,
  ...fileSchemas,
  ...callSchemas,
  ...relaySchemas,
  ...roomSchemas,
]);

export type ChannelMessage =
  | CoreMessage
  | ChatProtocolMessage
  | EditMessage
  | HistoryMessage
  | TypingMessage
  | ReceiptMessage
  | ReactionMessage
  | FileMessage
  | CallProtocolMessage
  | RelayMessage
  | RoomMessage;
export type ChannelMessageType = ChannelMessage['t'];
/** One message type, by its tag: `MessageOf<'chat'>`. */
export type MessageOf<T extends ChannelMessageType> = Extract<ChannelMessage, { t: T }>;

/** Every message type's budget per member (see rates.ts); a type without one does not compile. */
export const CHANNEL_RATES: Readonly<Record<ChannelMessageType, ChannelRate>> = {
  ...coreRates,
  ...chatRates,
  ...editRates,
  ...historyRates,
  ...typingRates,
  ...receiptRates,
  ...reactionRates,
  ...fileRates,
  ...callRates,
  ...relayRates,
  ...roomRates,
};

/**
 * What a link brings besides messages that parse, charged to the member's budget as its
 * messages are (client/budget.ts), so that a flood of it is muted, then cut, like any other:
 * - `malformed`: a message parseChannelMessage refuses (not JSON, no known shape, too long,
 *   binary). Reading it costs this page as much as a valid one, and JSON of many or deeply
 *   nested values far more (16,000 nested arrays in 32 KB: several ms each); a page charged
 *   nothing for them froze for 35-49 s. An honest page sends none: a type or field a newer
 *   version adds goes only to members whose hello said that version.
 * - `data-channel`: a data channel the member opens to us, taken by a feature or not: a
 *   file's, one per transfer we accepted (and per resume). Each costs this page a task.
 */
export const linkChargeRates = {
  malformed: { perSecond: 2, burst: 20, chars: { perSecond: 16_384, burst: 2 * MAX_CHANNEL_MESSAGE_LENGTH } },
  'data-channel': { perSecond: 10, burst: 2 * MAX_PENDING_OFFERS },
} as const satisfies Record<string, ChannelRate>;

/** Whatever a member's budget charges: its messages by type, and what linkChargeRates names. */
export type ChargedKind = ChannelMessageType | keyof typeof linkChargeRates;
/** A member's whole budget (client/router.ts): CHANNEL_RATES and linkChargeRates. */
export const BUDGET_RATES: Readonly<Record<ChargedKind, ChannelRate>> = { ...CHANNEL_RATES, ...linkChargeRates };

const knownTypes: ReadonlySet<string> = new Set(Object.keys(CHANNEL_RATES));

export function parseChannelMessage(raw: unknown): ChannelMessage | null {
  // Every message is a JSON object (encodeChannelMessage): anything else is refused before
  // JSON.parse reads it, however many values it holds.
  if (typeof raw !== 'string' || raw.length > MAX_CHANNEL_MESSAGE_LENGTH || !raw.startsWith('{')) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  // An unknown type, or none, is refused before the schema looks for one that fits.
  const type = (data as { t?: unknown }).t;
  if (typeof type !== 'string' || !knownTypes.has(type)) return null;
  const parsed = channelMessageSchema.safeParse(data);
  return parsed.success ? (parsed.data as ChannelMessage) : null;
}

export function encodeChannelMessage(message: ChannelMessage): string {
  return JSON.stringify(message);
}
