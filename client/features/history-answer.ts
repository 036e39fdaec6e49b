// Our answer to a history request: the public lines we hold, oldest first, at most
// MAX_HISTORY_LINES, with their reactions, in chunks that each fit one channel message; the
// last chunk says done.
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
import type { KeptLine } from './transcript.ts';

export type HistoryLinesMessage = MessageOf<'history:lines'>;

/** Chunks stay well under the channel's message limit (one line's text escapes to ≤ ~24 KB). */
const CHUNK_BUDGET = MAX_CHANNEL_MESSAGE_LENGTH - 4_096;
/** What a line's reactions add around the states themselves. */
const REACTIONS_FIELD = ',"reactions":[]';

export function historyChunks(
  kept: readonly KeptLine[],
  reactionsOf: (author: string, id: string) => HistoryReaction[] = () => [],
): HistoryLinesMessage[] {
  const chunks: HistoryLinesMessage[] = [];
  const empty = (): HistoryLinesMessage => ({ t: 'history:lines', lines: [], done: false });
  let current = empty();
  let size = encodeChannelMessage(current).length;
  for (const line of kept.slice(-MAX_HISTORY_LINES)) {
    const wire: HistoryLine = { from: line.from, name: line.name, id: line.id, ts: line.ts, text: line.text };
    if (line.sig !== undefined) wire.sig = line.sig;
    let lineSize = JSON.stringify(wire).length + 1;
    // Signed reaction states are ~150 characters each: on a line of escaped text they are
    // what has to give, the last first (signed "off" states come after every "on").
    const reactions: HistoryReaction[] = [];
    lineSize += REACTIONS_FIELD.length;
    for (const reaction of reactionsOf(line.from, line.id).slice(0, MAX_HISTORY_LINE_REACTIONS)) {
      const reactionSize = JSON.stringify(reaction).length + 1;
      if (lineSize + reactionSize > CHUNK_BUDGET) break;
      reactions.push(reaction);
      lineSize += reactionSize;
    }
    if (reactions.length > 0) wire.reactions = reactions;
    if (current.lines.length >= MAX_HISTORY_CHUNK_LINES || size + lineSize > CHUNK_BUDGET) {
      chunks.push(current);
      current = empty();
      size = encodeChannelMessage(current).length;
    }
    current.lines.push(wire);
    size += lineSize;
  }
  current.done = true;
  chunks.push(current);
  return chunks;
}
