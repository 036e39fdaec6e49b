// Messages on the RTCDataChannel between two browsers; the server never sees these. A peer
// is as untrusted as a socket client: parseChannelMessage returns null for anything that is
// not exactly one of the shapes below, and never throws.
//
// Each channel feature declares its own messages in a file of this folder (schemas and the
// type they infer); this file only assembles them. Adding a feature adds one import and one
// spread below, nothing else.
import * as z from 'zod/mini';
import { MAX_CHANNEL_MESSAGE_LENGTH } from '../limits.ts';
import { type CallProtocolMessage, callSchemas } from './calls.ts';
import { type ChatProtocolMessage, chatSchemas } from './chat.ts';
import { type CoreMessage, coreSchemas } from './core.ts';

export * from './calls.ts';
export * from './chat.ts';
export * from './core.ts';

const channelMessageSchema = z.discriminatedUnion('t', [...coreSchemas, ...chatSchemas, ...callSchemas]);

export type ChannelMessage = CoreMessage | ChatProtocolMessage | CallProtocolMessage;
export type ChannelMessageType = ChannelMessage['t'];
/** One message type, by its tag: `MessageOf<'chat'>`. */
export type MessageOf<T extends ChannelMessageType> = Extract<ChannelMessage, { t: T }>;

export function parseChannelMessage(raw: unknown): ChannelMessage | null {
  if (typeof raw !== 'string' || raw.length > MAX_CHANNEL_MESSAGE_LENGTH) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = channelMessageSchema.safeParse(data);
  return parsed.success ? (parsed.data as ChannelMessage) : null;
}

export function encodeChannelMessage(message: ChannelMessage): string {
  return JSON.stringify(message);
}
