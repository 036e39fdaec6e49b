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
  names: Pick<Names, 'nameKey' | 'nameOf' | 'taggedName' | 'earlierUnlessProved'>;
  /** The lines kept (both features keep them) and the edits a history line may carry (chat.ts). */
  chat: Pick<ChatWiring, 'transcript' | 'edits'>;
  /** Reactions travel with history lines (chat-signals.ts). */
  signals: Pick<ChatSignals, 'reactions'>;
  /** History's order, where its lines are placed (line-views.ts). */
  views: Pick<LineViews, 'historyView'>;
  /** Puts a line on the page with what goes around it (show-line.ts). */
  showLine(line: ChatLine, senderName: string): HTMLLIElement;
  /** The members we ignore: none vouches for a line (ignored.ts). */
  ignored: Pick<Ignored, 'has'>;
  /** Parts made after history, reached only when called (once main.ts has run). */
  later(): { mesh: Pick<Mesh, 'all'> };
}

export function wireHistory(options: HistoryWiringOptions) {
  const { ownId, selfName, identity, names, chat, signals, views, showLine, ignored, later } = options;
  const { historyView } = views;
  const history = createHistory({
    selfId: ownId.orEmpty,
    selfName,
    ownKey: () => identity.publicKey(),
    members: () => later().mesh.all(),
    nameKey: names.nameKey,
    transcript: chat.transcript,
    show: (line, authorName) => historyView.place(line, showLine(line, line.own ? selfName() : authorName)),
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
