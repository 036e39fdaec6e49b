// Editing and deleting one's own chat lines. A line is named by its author and id, and an
// edit names only the id: its sender is its author (the link's room-key proof, or the seal of
// a relayed message, says who sent it), so a member can only ever edit or delete its own
// lines. Each edit carries the line as it now stands (its time, its private recipient, the
// line it answers, and the new text) and the author's signature over all of it with the
// edit's time (client/identity.ts): a member who hands the line on to newcomers (history) or
// relays it cannot forge, alter or undo an edit, and the latest `at` wins, so an old edit
// replayed after a newer one, or after the deletion, changes nothing. A deletion carries no
// text: the line's text is gone from every page that takes it, and from history.
//
// Since channel protocol 5 (limits.ts): sent only to members whose hello said 5 or more. A
// member on an older version keeps the line as it was written.
//
// Since channel protocol 10 the receiver acknowledges an edit it took or already holds (one as
// new, or the deletion), checked against the author's key, with an `ack` (chat.ts) naming
// editAckId below: no new message or field, so an older page parses it, and finds none of its
// lines under that id (its own line ids are 21 characters, an edit's ack id more). The author
// sends an edit again until it is acknowledged, through another relay if the one it went
// through does not deliver, as for lines; but only to members that said 10, or said nothing
// (reached only through a relay, they never say): one that said less never acks.
import * as z from 'zod/mini';
import {
  chatTextSchema,
  lineTimeSchema,
  MESSAGE_ID_PATTERN,
  messageIdSchema,
  peerIdSchema,
  replySchema,
  signatureSchema,
} from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** The first channel protocol version (a member's hello says its own) that takes `chat:edit`. */
export const EDIT_VERSION = 5;
/** Our latest edits sent again when a link opens (a lost one arrives after the repair), at most. */
export const MAX_EDIT_SYNC = 50;
/** The first channel protocol version whose pages acknowledge edits (editAckId). */
export const EDIT_ACK_VERSION = 10;

/**
 * The id an `ack` names an edit by: the line's id and the edit's time (base 36), so a later
 * edit of the line is acknowledged apart. Null when that is no message id (a line id or time
 * no page of ours makes: such an edit is not acknowledged, and its author's page sends none).
 */
export function editAckId(edit: { id: string; at: number }): string | null {
  if (!Number.isSafeInteger(edit.at)) return null;
  const id = `${edit.id}${edit.at.toString(36)}`;
  return MESSAGE_ID_PATTERN.test(id) ? id : null;
}

export const editSchemas = [
  /**
   * The sender's line `id`, written at `ts`, now reads `text` (absent: deleted) since `at`
   * (the sender's clock, ms). `to` and `re` repeat the line's own (a private line's
   * recipient, the line it answers), as its signature covers them. `sig` is absent only
   * when the author's browser cannot sign (no WebCrypto).
   */
  z
    .strictObject({
      t: z.literal('chat:edit'),
      id: messageIdSchema,
      ts: lineTimeSchema,
      at: lineTimeSchema,
      text: z.optional(chatTextSchema),
      to: z.optional(peerIdSchema),
      re: z.optional(replySchema),
      sig: z.optional(signatureSchema),
    })
    .check(
      // A deletion says nothing of the quoted line: its signature does not cover one, so a quote
      // with it is no part of the author's word, and no deletion of the line it names.
      z.refine((edit) => edit.text !== undefined || edit.re === undefined),
    ),
] as const;

export type EditMessage = z.infer<(typeof editSchemas)[number]>;

/**
 * A person edits a line every few seconds at most, but a link that opens gets our latest
 * MAX_EDIT_SYNC edits again at once. Each costs the receiver a signature check and a line
 * drawn again; long texts count as a line's do (a quarter of chat's budget).
 */
export const editRates = {
  'chat:edit': {
    perSecond: 10,
    burst: 2 * MAX_EDIT_SYNC,
    chars: { perSecond: 12_500, burst: 50 * 4_000 },
  },
} as const satisfies Record<EditMessage['t'], ChannelRate>;
