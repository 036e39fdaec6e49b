// History for a newcomer: the feature (features/history.ts) asks the members here for the
// lines written before we came (and, back from an outage, those we missed), checks them
// against their authors' keys and shows them in order (view/history.ts) through showLine, with
// the edits and reactions that travel with them; and the line that says whose answer is on its
// way (view/history-waiting.ts). Separate from main.ts because the feature and its waiting
// line are made together; the rest of the page only routes its messages and asks it things.
import type { ChatLine } from '../features/chat.ts';
import { createHistory } from '../features/history.ts';
import type { Identity } from '../identity.ts';
import type { Ignored } from '../ignored.ts';
import type { Mesh } from '../mesh.ts';
import { showHistoryWaiting } from '../view/history-waiting.ts';
import type { ChatWiring } from './chat.ts';
import type { ChatSignals } from './chat-signals.ts';
import type { LineViews } from './line-views.ts';
import type { Names } from './names.ts';
import type { OwnId } from './own-id.ts';

export interface HistoryWiringOptions {
  ownId: Pick<OwnId, 'orEmpty'>;
  selfName(): string;
  /** Our signing key: after a reload, our earlier lines come back in history as ours. */
  identity: Pick<Identity, 'publicKey'>;
  names: Pick<Names, 'nameKeys' | 'nameOf' | 'taggedName' | 'earlierUnlessProved'>;
  /** The lines kept (both features keep them) and the edits a history line may carry (chat.ts). */
  chat: Pick<ChatWiring, 'transcript' | 'edits'>;
  /** Reactions travel with history lines (chat-signals.ts). */
  signals: Pick<ChatSignals, 'reactions'>;
  /** History's order, where its lines are placed, and the lines as they came (line-views.ts). */
  views: Pick<LineViews, 'historyView' | 'lines'>;
  /** Puts a line on the page with what goes around it (show-line.ts). */
  showLine(line: ChatLine, senderName: string): HTMLLIElement;
  /** The members we ignore: none vouches for a line (ignored.ts). */
  ignored: Pick<Ignored, 'has'>;
  /** Parts made after history, reached only when called (once main.ts has run). */
  later(): { mesh: Pick<Mesh, 'all'> };
}

export function wireHistory(options: HistoryWiringOptions) {
  const { ownId, selfName, identity, names, chat, signals, views, showLine, ignored, later } = options;
  const { historyView, lines } = views;
  const history = createHistory({
    selfId: ownId.orEmpty,
    selfName,
    ownKey: () => identity.publicKey(),
    members: () => later().mesh.all(),
    nameKeys: names.nameKeys,
    transcript: chat.transcript,
    show: (line, authorName) =>
      placeHistoryLine({ historyView, lines }, line, showLine(line, line.own ? selfName() : authorName)),
    showMissed: (line) => void showLine(line, line.own ? selfName() : names.nameOf(line.from)),
    revised: (line) => chat.edits.fromHistory(line),
    earlierUnlessProved: names.earlierUnlessProved,
    reactions: signals.reactions,
    ignored: ignored.has,
  });
  showHistoryWaiting({
    waitingFor: () => history.waitingFor().map((member) => names.taggedName(member.id, member.name)),
    element: document.getElementById('history-waiting') as HTMLElement,
  });
  return history;
}

/**
 * A checked history line goes under "Before you joined" in its author's order, unless this page
 * shows a line of its author's written before it as it came: then it goes among those, by its
 * time (near-order.ts keeps one author's lines in the order written). A tab reloaded during a
 * burst had an author's resent line 10 come live, then another member's answer bring line 11,
 * placed above it in the history block (an exploratory pass). Only a checked copy, and only one
 * the history view holds no copy of: one on a member's word may be replaced by a better copy,
 * which the history view does in its place.
 */
export function placeHistoryLine(
  { historyView, lines }: Pick<LineViews, 'historyView' | 'lines'>,
  line: ChatLine,
  item: HTMLLIElement,
): boolean {
  const ts = Math.min(line.ts, line.receivedAt ?? line.ts);
  // A copy of it placed already (on a member's word) is replaced where it is, not left beside it.
  const late = line.history?.verified === 'true' && !historyView.holds(line.from, line.id);
  if (!late || !lines.cameBefore(line.from, ts)) return historyView.place(line, item);
  lines.placeLate(item, { ts, from: line.from, id: line.id });
  return true;
}
