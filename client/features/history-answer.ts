// Our answer to a history request: the public lines we hold, oldest first, at most
// MAX_HISTORY_LINES, with their reactions, in chunks that each fit one channel message; the
// last chunk says done. Every chunk carries the request's number, when it had one. A member on
// a version before replies gets no reply (its schema would refuse the whole chunk, and the
// line's signature covers its `re`), and one before edits no edited or deleted line.
import {
  encodeChannelMessage,
  type HistoryLine,
  type HistoryReaction,
  MAX_CHANNEL_MESSAGE_LENGTH,
  MAX_HISTORY_CHUNK_LINES,
  MAX_HISTORY_LINE_REACTIONS,
  MAX_HISTORY_LINES,
  type MessageOf,
} from '../../protocol/index.ts';
import { MAX_SEALABLE_BYTES } from '../announce.ts';
import type { KeptLine } from './transcript.ts';

export type HistoryLinesMessage = MessageOf<'history:lines'>;

/** Chunks stay well under the channel's message limit (one line's text escapes to ≤ ~24 KB). */
const CHUNK_BUDGET = MAX_CHANNEL_MESSAGE_LENGTH - 4_096;
/**
 * For a member reached through a relay: UTF-8 bytes that still seal into one envelope
 * (announce.ts), less room for the chunk's own fields. A bigger chunk would go as several pieces, each charged to the asker's
 * budget as a message while the answer is paced as one, and the pieces over it dropped: most
 * of a long history lost, its `done` with it.
 */
const RELAYED_CHUNK_BYTES = MAX_SEALABLE_BYTES - 1_024;
const utf8 = new TextEncoder();

export interface ChunkOptions {
  /** The asker is reached through a relay: chunks are measured in UTF-8 bytes and fit one sealed envelope. */
  relayed?: boolean;
  /** The request's number (`n`), echoed in every chunk; absent: the request had none. */
  request?: number | undefined;
  /** The asker parses a line's `re` (channel/chat.ts, REPLY_VERSION); absent: it does. */
  replies?: boolean;
  /** The asker parses `edited` and `deleted` (channel/edits.ts, EDIT_VERSION); absent: it does. */
  edits?: boolean;
}
/** What a line's reactions add around the states themselves. */
const REACTIONS_FIELD = ',"reactions":[]';

export function historyChunks(
  kept: readonly KeptLine[],
  reactionsOf: (author: string, id: string) => HistoryReaction[] = () => [],
  options: ChunkOptions = {},
): HistoryLinesMessage[] {
  const measure = options.relayed ? (text: string) => utf8.encode(text).length : (text: string) => text.length;
  const budget = options.relayed ? RELAYED_CHUNK_BYTES : CHUNK_BUDGET;
  const chunks: HistoryLinesMessage[] = [];
  const { request } = options;
  const empty = (): HistoryLinesMessage => ({
    t: 'history:lines',
    ...(request === undefined ? {} : { n: request }),
    lines: [],
    done: false,
  });
  /** A chunk's own fields (its number included), before any line. */
  const emptySize = measure(encodeChannelMessage(empty()));
  let current = empty();
  let size = emptySize;
  for (const line of kept.slice(-MAX_HISTORY_LINES)) {
    if (line.re !== undefined && options.replies === false) continue;
    const { edited, deleted } = line;
    // Its signature is the edit's or the deletion's, which an older page cannot check.
    if ((edited !== undefined || deleted !== undefined) && options.edits === false) continue;
    const wire: HistoryLine = { from: line.from, name: line.name, id: line.id, ts: line.ts };
    // A deleted line goes without its text, its reply's excerpt or its reactions: only that it was deleted.
    if (deleted === undefined) wire.text = line.text;
    if (line.re !== undefined && deleted === undefined) wire.re = line.re;
    if (edited !== undefined) wire.edited = edited;
    if (deleted !== undefined) wire.deleted = deleted;
    if (line.sig !== undefined) wire.sig = line.sig;
    let lineSize = measure(JSON.stringify(wire)) + 1;
    // Signed reaction states are ~150 characters each: on a line of escaped text they are
    // what has to give, the last first (signed "off" states come after every "on").
    const reactions: HistoryReaction[] = [];
    lineSize += REACTIONS_FIELD.length;
    const states = deleted === undefined ? reactionsOf(line.from, line.id) : [];
    for (const reaction of states.slice(0, MAX_HISTORY_LINE_REACTIONS)) {
      const reactionSize = measure(JSON.stringify(reaction)) + 1;
      if (lineSize + reactionSize > budget) break;
      reactions.push(reaction);
      lineSize += reactionSize;
    }
    if (reactions.length > 0) wire.reactions = reactions;
    // Through a relay, a line that fills an envelope on its own (4,000 characters that JSON
    // escapes to 24 K) cannot go at all: the relay would drop its chunk, and with it the
    // `done` of the answer's last one. It is left out; the rest of the answer goes.
    if (options.relayed && emptySize + lineSize > budget) continue;
    if (current.lines.length >= MAX_HISTORY_CHUNK_LINES || size + lineSize > budget) {
      chunks.push(current);
      current = empty();
      size = emptySize;
    }
    current.lines.push(wire);
    size += lineSize;
  }
  current.done = true;
  chunks.push(current);
  return chunks;
}
