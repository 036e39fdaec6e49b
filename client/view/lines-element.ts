// A line's element (a message, or the page's own sentence), made and not yet on the page: who
// wrote it (a message), its time (lines-time.ts) and its words, a long message folded
// (long-text.ts). The lines view puts it on the page, or another view part does (history).
import { SELF_LABEL } from '../../protocol/name.ts';
import type { ChatLine } from '../features/chat.ts';
import { el } from './dom.ts';
import { timeOf } from './lines-time.ts';
import { foldLongText } from './long-text.ts';
import { renderText, sentenceNodes } from './text.ts';

/** A line's element, not yet on the page. */
export function lineElement(line: ChatLine, senderName: string): HTMLLIElement {
  const item = el('li', { className: `line line-${line.kind}${line.own ? ' own' : ''}`, testId: 'message' });
  item.dataset.id = line.id;
  item.dataset.from = line.from;
  item.dataset.kind = line.kind;
  const time = timeOf(line);
  // Each part is isolated (dir=auto, unicode-bidi: isolate in the CSS): an override
  // character in a text or a name reorders nothing outside it.
  const text = el('span', { className: 'line-text', testId: 'message-text' });
  if (line.kind === 'chat') {
    renderText(text, line.text);
    text.dir = 'auto';
  } else {
    // The page's own sentence, in its own direction, the names in it isolated (isolate.ts).
    text.dir = 'ltr';
    text.append(...sentenceNodes(line.text));
  }
  if (line.kind === 'chat') {
    const sender = el('span', { className: 'line-sender', text: line.own ? SELF_LABEL : senderName });
    sender.dir = 'auto';
    item.append(sender, time, text);
    const unfold = foldLongText(text, line.text);
    if (unfold) item.append(unfold);
  } else {
    item.append(time, text);
  }
  return item;
}
