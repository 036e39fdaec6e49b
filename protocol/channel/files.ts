// Files between two members. The control messages below travel on the chat channel (and
// `file:end` on the transfer's own channel, after its last chunk); the bytes travel as
// binary chunks on a data channel of their own per transfer, labelled `file:<id>`, and the
// receiver answers on that channel with arrival marks (how many bytes it has taken), which
// keep what is on the way short, so a transfer never holds up chat. A file sent to the room is
// also offered to members who join later, that offer saying when it was sent (`at`, since
// FILE_EARLIER_VERSION). Everything here is as untrusted as any peer message: the
// schemas bound every field, and the receiver still checks what the bytes do against what
// the offer said (size, range, SHA-256).
//
// An offer may answer a line, as a chat line does (`re`, since FILE_REPLY_VERSION). A chat
// line's `re` is covered by its author's signature because members pass lines on (history,
// relays); offers are not signed, and need not be: they go only on the sender's own link (a
// relay passes no file message: relay.ts RELAYABLE_TYPES), which speaks for the sender as far
// as its hello proved the room key, and no member passes them on, so none can alter them.
import * as z from 'zod/mini';
import { PEER_ID_PATTERN } from '../limits.ts';
import { DRAWN_BLANK_CLASS } from '../name-fold.ts';
import { lineTimeSchema, MESSAGE_ID_PATTERN, replySchema } from './chat.ts';
import type { ChannelRate } from './rates.ts';

/** Larger files are refused at the offer (a sanity bound, far above what anyone sends). */
export const MAX_FILE_SIZE = 2 ** 40;
/** A name longer than this is accepted on the wire and shortened for display and saving. */
export const MAX_WIRE_FILE_NAME_LENGTH = 16_000;
export const MAX_FILE_NAME_LENGTH = 200;
export const MAX_FILE_TYPE_LENGTH = 255;
/** Label prefix of a transfer's data channel: `file:<transfer id>`. */
export const FILE_CHANNEL_PREFIX = 'file:';
/** Bytes of a chunk's header: the offset of its first byte, a big-endian float64. */
export const CHUNK_HEADER_BYTES = 8;
/**
 * Payload bytes of every chunk but a file's last, at least (the pump sends this much; the
 * first version sent 64 KiB). Each message costs the receiving page a task, whatever it
 * carries: a member that put empty or one-byte chunks on a transfer's channel as fast as it
 * took them (some 17,000 a second) held the receiver's timers up to 7 s.
 */
export const MIN_CHUNK_BYTES = 16 * 1024;
/**
 * A transfer whose channel keeps dropping is given up after this many resumes (each a
 * file:accept from the byte the receiver has): the receiver asks no more, and the sender
 * starts no more channels for one recipient than the first and these.
 */
export const MAX_TRANSFER_RESUMES = 20;
/** A file:end is far shorter (an id of 32 characters, a size of 13 digits): a longer string is not one. */
export const MAX_FILE_END_LENGTH = 200;
/**
 * From this version of the channel protocol (limits.ts CHANNEL_PROTOCOL_VERSION) on, the
 * receiver decides when each file from a member starts: that member offers every file at
 * once (up to MAX_PENDING_OFFERS), and the receiver accepts at most MAX_RUNNING_TRANSFERS of
 * them at a time, the rest in order of offer as those end, saying `file:queued` of one it took
 * but holds back. A member on an older version is offered MAX_RUNNING_TRANSFERS at a time, the
 * rest waiting at the sender, since it refuses more than that at once ('busy').
 */
export const FILE_QUEUE_VERSION = 6;
/**
 * From this version of the channel protocol on, a file sent to the room stays offered to members
 * who join later, for as long as its sender's page holds it (client/files/sending-shared.ts):
 * such an offer says when the file was sent (`at`), so the newcomer shows its line among the
 * earlier lines by that time. Only members that said this version get those offers: an older
 * page's strict schema refuses the whole offer with a field it does not know.
 */
export const FILE_EARLIER_VERSION = 8;
/**
 * From this version of the channel protocol on, an offer may carry the line the file answers
 * (`re`, chat.ts replySchema): a file or voice message sent as a reply. A member that said an
 * older version gets the offer without it (its strict schema would refuse the whole offer).
 */
export const FILE_REPLY_VERSION = 11;
/** Transfers from one member to another running at once, at most (both sides hold to it). */
export const MAX_RUNNING_TRANSFERS = 4;
/**
 * Files from one member offered to us or running at once, at most: an offer past it is refused
 * ('busy'). Each costs a line in the chat and a record until it ends, and a sender could offer
 * thousands; 64 is a folder of photos picked at once, or a day's worth of screenshots, and past
 * it the sender keeps the rest and offers each as one of these ends.
 */
export const MAX_PENDING_OFFERS = 64;

/** Why a receiver said no to an offer. Stable codes; the view words them. */
export const DECLINE_REASONS = ['declined', 'busy', 'too-large', 'no-storage', 'invalid'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Why a transfer stopped before it was complete, as its sender says it. */
export const SENDER_CANCEL_REASONS = [
  'cancelled', // its person pressed cancel, or its page stopped sending to that recipient
  'unavailable', // the sender no longer has the file
  'unreadable', // the sender's page can no longer read the file (moved, deleted or changed on its disk)
] as const;
export type SenderCancelReason = (typeof SENDER_CANCEL_REASONS)[number];

/** Why a transfer stopped before it was complete, as its receiver says it. */
export const RECEIVER_CANCEL_REASONS = [
  'cancelled', // its person pressed cancel, the file's line went, or the link kept dropping
  'size-mismatch', // more bytes than declared, or fewer before file:end
  'out-of-range', // a chunk that does not start where the last one ended
  'storage-failed', // the receiver could not write what it got
] as const;
export type ReceiverCancelReason = (typeof RECEIVER_CANCEL_REASONS)[number];

/**
 * Every reason a file:cancel may carry, from either side. The message is the same both ways
 * (the id says which transfer), so the parser cannot tell which side sent it: the side that
 * takes it reads the reason with reasonFromSender or reasonFromReceiver, which make one that
 * only the other side gives a plain cancel.
 */
export const CANCEL_REASONS = [...new Set([...SENDER_CANCEL_REASONS, ...RECEIVER_CANCEL_REASONS])];
export type CancelReason = (typeof CANCEL_REASONS)[number];

const isOneOf = <T extends string>(reasons: readonly T[], reason: string): reason is T =>
  (reasons as readonly string[]).includes(reason);

/**
 * A cancel's reason as a sender can give it: a receiver's reason from a sender (its page
 * claiming our storage failed) is a plain 'cancelled'. The transfer stopped there all the same;
 * only words that side cannot say are not taken.
 */
export const reasonFromSender = (reason: CancelReason): SenderCancelReason =>
  isOneOf(SENDER_CANCEL_REASONS, reason) ? reason : 'cancelled';

/**
 * A cancel's reason as a receiver can give it: a sender's reason from a receiver (Mallory
 * answering Alice's offer with `unreadable`, which read "Mallory stopped: the file could not be
 * read" on Alice's own line beside Bob's "received") is a plain 'cancelled'.
 */
export const reasonFromReceiver = (reason: CancelReason): ReceiverCancelReason =>
  isOneOf(RECEIVER_CANCEL_REASONS, reason) ? reason : 'cancelled';

/**
 * From this version of the channel protocol on, a sender whose file could no longer be read
 * while it went says so (`unreadable`), and the receiver's line says why it stopped. A member
 * that said an older version is told `unavailable`, which its strict schema takes.
 */
export const FILE_UNREADABLE_VERSION = 12;

const transferId = z.string().check(z.regex(MESSAGE_ID_PATTERN));
const byteCount = z.int().check(z.gte(0), z.lte(MAX_FILE_SIZE));

export const fileSchemas = [
  /** The sender offers a file (to one member when `to` is set, else to the room). */
  z.strictObject({
    t: z.literal('file:offer'),
    id: transferId,
    name: z.string().check(z.maxLength(MAX_WIRE_FILE_NAME_LENGTH)),
    size: byteCount,
    // Made one form as it comes (types are case-insensitive), so that what the line shows is
    // what decides a preview or a player: "AUDIO/WAV " read "unknown type" and played inline.
    type: z.string().check(z.maxLength(MAX_FILE_TYPE_LENGTH), z.trim(), z.toLowerCase()),
    sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    to: z.optional(z.string().check(z.regex(PEER_ID_PATTERN))),
    /**
     * Offered to you after the fact: the file was sent to the room at this time (the sender's
     * clock), before you joined. Sent only to members that said FILE_EARLIER_VERSION.
     */
    at: z.optional(lineTimeSchema),
    /**
     * The line the file answers, as a chat line's `re` names it (its quote goes above the
     * file's line). Sent only to members that said FILE_REPLY_VERSION.
     */
    re: z.optional(replySchema),
  }),
  /** The receiver takes it: send from byte `from` on (0, or where an interrupted one stopped). */
  z.strictObject({ t: z.literal('file:accept'), id: transferId, from: byteCount }),
  z.strictObject({ t: z.literal('file:decline'), id: transferId, reason: z.enum(DECLINE_REASONS) }),
  /**
   * The receiver waits for its person to accept (the file is large, or past what it takes
   * without a click): until then the sender cannot tell a click still to come from an
   * accept on its way.
   */
  z.strictObject({ t: z.literal('file:asking'), id: transferId }),
  /**
   * The receiver takes it (without a click, or after one), once one of the sender's transfers
   * running to it ends (MAX_RUNNING_TRANSFERS): a file:accept comes then. Sent only to members
   * that said FILE_QUEUE_VERSION.
   */
  z.strictObject({ t: z.literal('file:queued'), id: transferId }),
  /** Either side stops the transfer (its reason read as that side's: reasonFromSender, reasonFromReceiver). */
  z.strictObject({ t: z.literal('file:cancel'), id: transferId, reason: z.enum(CANCEL_REASONS) }),
  /** The receiver has stored bytes [0, bytes): the sender's window moves, and a resume starts there. */
  z.strictObject({ t: z.literal('file:ack'), id: transferId, bytes: byteCount }),
  /** On the transfer's channel after its last chunk: the sender sent `size` bytes in all. */
  z.strictObject({ t: z.literal('file:end'), id: transferId, size: byteCount }),
  /** The receiver's verdict on the whole file. */
  z.strictObject({ t: z.literal('file:done'), id: transferId, result: z.enum(['verified', 'corrupt']) }),
] as const;

export type FileMessage = z.infer<(typeof fileSchemas)[number]>;
export type FileOffer = Extract<FileMessage, { t: 'file:offer' }>;

/** One chunk of a file as it travels: where it starts, and its bytes. */
export interface Chunk {
  offset: number;
  bytes: Uint8Array;
}

export function encodeChunk(offset: number, bytes: Uint8Array): ArrayBuffer {
  const frame = new ArrayBuffer(CHUNK_HEADER_BYTES + bytes.byteLength);
  new DataView(frame).setFloat64(0, offset);
  new Uint8Array(frame, CHUNK_HEADER_BYTES).set(bytes);
  return frame;
}

/** A chunk frame as received, or null when it is not one (too short, a bad offset). */
export function decodeChunk(frame: unknown): Chunk | null {
  if (!(frame instanceof ArrayBuffer) || frame.byteLength < CHUNK_HEADER_BYTES) return null;
  const offset = new DataView(frame).getFloat64(0);
  if (!Number.isSafeInteger(offset) || offset < 0) return null;
  return { offset, bytes: new Uint8Array(frame, CHUNK_HEADER_BYTES) };
}

/**
 * An arrival mark, receiver → sender on the transfer's channel: the receiver has taken every
 * byte before `bytes` off the channel (not yet stored: that is file:ack). 8 bytes, a
 * big-endian float64, like a chunk's header.
 */
export function encodeArrivalMark(bytes: number): ArrayBuffer {
  const frame = new ArrayBuffer(CHUNK_HEADER_BYTES);
  new DataView(frame).setFloat64(0, bytes);
  return frame;
}

/** The byte count of an arrival mark, or null when the frame is not one. */
export function decodeArrivalMark(frame: unknown): number | null {
  if (!(frame instanceof ArrayBuffer) || frame.byteLength !== CHUNK_HEADER_BYTES) return null;
  const bytes = new DataView(frame).getFloat64(0);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

export function fileChannelLabel(id: string): string {
  return FILE_CHANNEL_PREFIX + id;
}

/** The transfer id of a file channel's label, or null for any other label. */
export function transferIdOfLabel(label: string): string | null {
  if (!label.startsWith(FILE_CHANNEL_PREFIX)) return null;
  const id = label.slice(FILE_CHANNEL_PREFIX.length);
  return MESSAGE_ID_PATTERN.test(id) ? id : null;
}

// Control and format characters (bidi overrides included), path separators, and the
// characters Windows refuses in names.
const UNSAFE_NAME_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\<>:"|?*]/gu;

/**
 * Runs of white space, which a page shows as one space: "report.pdf" and 80 spaces before
 * ".exe" showed as "report.pdf .exe", and downloaded with all of them, pushing ".exe" out of
 * sight in a download bar. Also of what is drawn blank without being white space (braille
 * blank, Hangul fillers, every default-ignorable character: name-fold.ts), which did the same.
 */
const WHITE_SPACE_RUN = new RegExp(`[\\s${DRAWN_BLANK_CLASS}]{2,}`, 'gu');

/**
 * A name that is safe to show and to save under: no path, no control or bidi characters, no
 * run of white space, not empty, not only dots, at most MAX_FILE_NAME_LENGTH characters with
 * its extension kept. `changed` says whether the sender's name had to be altered.
 */
export function sanitizeFileName(raw: string): { name: string; changed: boolean } {
  let name = raw.replace(UNSAFE_NAME_CHARACTERS, '_').replace(WHITE_SPACE_RUN, ' ').trim();
  // A leading dot hides a file on most systems; "." and ".." mean directories.
  name = name.replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  if (name === '') name = 'file';
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? [...name.slice(dot)].slice(0, 16).join('') : '';
    name = `${chars.slice(0, MAX_FILE_NAME_LENGTH - extension.length - 1).join('')}…${extension}`;
  } else if (name !== raw) {
    // A string of its own: a trimmed slice of the raw name (up to 16,000 characters on the
    // wire) may share, and so keep, all of the raw name's storage.
    name = chars.join('');
  }
  return { name, changed: name !== raw };
}

// The only types previewed, and only after createImageBitmap decoded them: raster formats,
// never SVG (a document that can carry script) or anything else.
const PREVIEWABLE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

export function isPreviewableType(type: string): boolean {
  return PREVIEWABLE_TYPES.has(type.trim().toLowerCase());
}

// The only types played inline (view/file-audio.ts), as an <audio> of the verified file:
// audio formats the browser decodes itself, never video (a frame a peer chose, full screen)
// or anything a media element would hand to a plug-in.
const PLAYABLE_AUDIO_TYPES = new Set([
  'audio/webm',
  'audio/ogg',
  'audio/mp4',
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/aac',
  'audio/flac',
]);

export function isPlayableAudioType(type: string): boolean {
  return PLAYABLE_AUDIO_TYPES.has(type.trim().toLowerCase());
}

/**
 * Offers, and the answers, ends and cancels that go once per offer, come a whole set at once:
 * every file picked (up to MAX_PENDING_OFFERS), and each said again when a link comes back. A
 * set of small files runs through in a few seconds (64 of 1 KiB in 2.7 s on two loaded cores,
 * the bench's files part), each with its accept, end and done: past a burst of 40 a faster
 * machine's would have muted the receiver or the sender halfway.
 */
const PER_OFFER_BURST = 2 * MAX_PENDING_OFFERS;

/**
 * The link-level budget (client/budget.ts). Offers come in sets (a folder picked at once, up
 * to MAX_PENDING_OFFERS), then one as each transfer ends; acks come once per stored MiB per
 * transfer, so fast transfers on loopback send a few hundred a second.
 */
export const fileRates = {
  'file:offer': { perSecond: 10, burst: PER_OFFER_BURST },
  'file:accept': { perSecond: 20, burst: PER_OFFER_BURST },
  'file:decline': { perSecond: 20, burst: PER_OFFER_BURST },
  'file:asking': { perSecond: 20, burst: PER_OFFER_BURST },
  'file:queued': { perSecond: 20, burst: PER_OFFER_BURST },
  'file:cancel': { perSecond: 20, burst: PER_OFFER_BURST },
  'file:ack': { perSecond: 600, burst: 1_200 },
  'file:end': { perSecond: 20, burst: PER_OFFER_BURST },
  'file:done': { perSecond: 20, burst: PER_OFFER_BURST },
} as const satisfies Record<FileMessage['t'], ChannelRate>;
