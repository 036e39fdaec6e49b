// Copying the chat: a selection over several lines is copied as the lines, one a row, "who,
// time: words", not as everything the browser would take from them. It took every control's
// words and glued the parts together: "You06:51 PM / c1 from carol / ☺ / Reply / Edit /
// Delete / read by 1 / (edited)" (an exploratory pass). A selection inside one message's words
// is left to the browser: part of a message is copied as it is.
import { lineParts } from './line-about.ts';

/**
 * One line as copied: its sender (none for the page's own lines), time and words, as a screen
 * reader hears them (line-about.ts), and its "(edited)" mark (line-edits.ts).
 */
function asCopied(line: HTMLElement): string {
  const { sender, time, text } = lineParts(line);
  const mark = line.querySelector('.line-mark-edited')?.textContent;
  const edited = mark ? ` ${mark}` : '';
  const who = [sender, time].filter((part) => part !== '').join(', ');
  return who === '' ? `${text}${edited}` : `${who}: ${text}${edited}`;
}

/** The message text (a line's words) a node is in, or null. */
function wordsOf(node: Node): Element | null {
  return (node instanceof Element ? node : node.parentElement)?.closest('.line-text') ?? null;
}

export function copyWholeLines(list: HTMLElement): void {
  list.addEventListener('copy', (event) => {
    const selection = document.getSelection();
    if (selection === null || selection.isCollapsed || selection.rangeCount === 0 || !event.clipboardData) return;
    const range = selection.getRangeAt(0);
    const words = wordsOf(range.startContainer);
    if (words !== null && words === wordsOf(range.endContainer)) return;
    const lines = [...list.querySelectorAll<HTMLElement>(':scope > li.line')].filter((line) =>
      selection.containsNode(line, true),
    );
    if (lines.length === 0) return;
    event.clipboardData.setData('text/plain', lines.map(asCopied).join('\n'));
    event.preventDefault();
  });
}
