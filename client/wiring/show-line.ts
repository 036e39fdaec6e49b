// A chat line put on the page with what goes around it: its marks (a mention, a twin's tag,
// private, edited), its reply quote, reactions bar, Edit and Delete, its receipt if ours; and,
// for a new line from someone else, its author no longer shown typing, a watch for when it is
// read, and what it asks of the reader's attention. Separate from main.ts because it is the one place a line meets
// every view part and feature that shows something of it; the chat, history and a reload's
// private lines all show theirs through it.
import type { Conversation } from '../conversation.ts';
import type { ChatLine } from '../features/chat.ts';
import type { Ignored } from '../ignored.ts';
import type { Mesh } from '../mesh.ts';
import { markLine } from '../view/line-marks.ts';
import { tagLine } from '../view/twin-tag.ts';
import type { ChatWiring } from './chat.ts';
import type { ChatSignals } from './chat-signals.ts';
import type { LineViews } from './line-views.ts';
import type { Names } from './names.ts';

export interface ShowLineParts {
  names: Pick<Names, 'taggedName' | 'othersTag' | 'nameOf' | 'namesUs'>;
  conversation: Pick<Conversation, 'spoke'>;
  views: Pick<LineViews, 'lines' | 'unreadMarker' | 'replies' | 'lineEdits' | 'ignoredLines'>;
  /** The members we ignore: a line of theirs is collapsed, and marks no mention of us (ignored.ts). */
  ignored: Pick<Ignored, 'has'>;
  /** The private lines kept for a reload, and the edits a line may have had before it came. */
  chat: Pick<ChatWiring, 'privateLines' | 'edits'>;
  /** Typing, receipts, reactions and the reader's attention: each takes its part of a line (chat-signals.ts). */
  signals: ChatSignals;
  /** Parts made after showLine, reached only when a line is shown (once main.ts has run). */
  later(): { mesh: Pick<Mesh, 'member'> };
}

/** Makes showLine: a line for the page under its author's name, returned as placed (or built, for an earlier line). */
export function wireShowLine(parts: ShowLineParts): (line: ChatLine, senderName: string) => HTMLLIElement {
  const { names, conversation, views, chat, signals, ignored, later } = parts;
  const { lines, unreadMarker, replies, lineEdits, ignoredLines } = views;
  const { privateLines, edits } = chat;
  const { reactions, reactionsView, receipts, receiptsView, readWatch, typing, attention } = signals;
  const { taggedName, othersTag, nameOf, namesUs } = names;
  // A collapsed line shown (Show, or its author no longer ignored) is read once it is on screen.
  ignoredLines.opened((item) => readWatch.again(item));

  return function showLine(line, senderName) {
    const mention = line.kind === 'chat' && !line.own && !ignored.has(line.from) && namesUs(line.text);
    // History lines are placed by the history view; every other line goes after the newest.
    // A twin is heard with its tag, as it is seen (twins.ts).
    const spoken = taggedName(line.from, senderName);
    // A private line back from before a reload is placed among the earlier lines, as history is.
    const earlier = line.history !== undefined || line.kept !== undefined;
    const item = earlier ? lines.build(line, senderName) : lines.append(line, senderName, mention, spoken);
    if (!earlier) conversation.spoke(line.own ? undefined : line.from);
    const tag = othersTag(line.from);
    if (tag !== null) tagLine(item, tag);
    // A private line back from before a reload names a member gone since as it was named then.
    const named = (peerId: string) =>
      line.kept && later().mesh.member(peerId) === undefined ? line.kept.withName : taggedName(peerId, nameOf(peerId));
    markLine(item, line, named, mention);
    if (line.kind !== 'chat') return item;
    const privateWith = line.privateTo ?? line.privateFrom ?? null;
    if (privateWith !== null) privateLines.keep(line, senderName, nameOf(privateWith));
    if (line.re) item.prepend(replies.quote(line.re, { by: senderName, from: line.from, privateWith }));
    // The bar first: shown() may apply reactions that came with the line (history) at once.
    reactionsView.attach(item, line.from, line.id);
    // A private line's reactions are only for its other party (our recipient, or its author).
    reactions.shown(line.from, line.id, privateWith);
    const checked = line.history === undefined || line.history.verified === 'true';
    const text = line.deleted === undefined ? line.text : '';
    // Relayed for an author gone: quotes of it follow it as it reads here, as the relayer's word.
    const relayedBy = line.history?.verified === 'relayed' ? line.history.relayedBy : undefined;
    const earlierName = line.history?.earlier === true;
    const { from, id, own } = line;
    replies.shown(item, {
      from,
      id,
      name: senderName,
      text,
      privateWith,
      checked,
      own,
      relayedBy,
      earlier: earlierName,
    });
    // Ours gets its Edit and Delete (after Reply, in its row); edits of it are taken from now on.
    lineEdits.shown(item, line);
    // Collapsed once every part is in it (the CSS hides them all but the note).
    ignoredLines.mark(item);
    edits.seen(line);
    if (line.deleted !== undefined) replies.revised(line.from, line.id, null);
    // Ours, back after a reload (with history, or a private one this tab kept): with its
    // receipt, if this tab kept one. (Not one deleted: it carries no receipt.)
    if (earlier && line.own && line.deleted === undefined && receipts.restore(line.id, line.ts)) {
      receiptsView.own(item, line.id);
    }
    if (earlier) return item;
    if (line.own) {
      receiptsView.own(item, line.id);
      unreadMarker.seen();
      return item;
    }
    typing.lineFrom(later().mesh.member(line.from));
    readWatch.watch(item, () => receipts.read(line.from, line.id));
    // A line that goes for good unseen (past the lines kept, a tab in the background) is not
    // watched for ever: the watch would keep its element and all it holds.
    lines.whenDropped(item, () => readWatch.unwatch(item));
    // Edited or deleted before it reached us (the revision came first, by another path, and
    // edits.seen drew it so): the title, the @ count and a notification go by what it reads now,
    // and a line already deleted counts for nothing (it counted, and notified its words).
    const revision = edits.revision(line.from, line.id);
    if (revision === null) attention.incoming(line, spoken, line.text, mention);
    else if (revision.text !== null) attention.incoming(line, spoken, revision.text, namesUs(revision.text));
    unreadMarker.incoming(item);
    return item;
  };
}
