// Copying the chat: a selection over several lines is copied as the lines, one a row, "who,
// time: words", not as everything the browser would take from them. It took every control's
// words and glued the parts together: "You06:51 PM / c1 from carol / ☺ / Reply / Edit /
// Delete / read by 1 / (edited)" (an exploratory pass). A selection inside one message's words
// is left to the browser: part of a message is copied as it is.

/** One line as copied: its sender (none for the page's own lines), time and words. */
function asCopied(line: Element): string {
  const sender = line.querySelector('.line-sender')?.textContent ?? '';
  const time = line.querySelector('.line-time')?.textContent ?? '';
  const words = line.querySelector('.line-text')?.textContent ?? '';
  const edited = line.querySelector('.line-mark-edited') !== null ? ' (edited)' : '';
  const who = [sender, time].filter((part) => part !== '').join(', ');
  return who === '' ? `${words}${edited}` : `${who}: ${words}${edited}`;
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
    const lines = [...list.children].filter((line) => line.matches('li.line') && selection.containsNode(line, true));
    if (lines.length === 0) return;
    event.clipboardData.setData('text/plain', lines.map(asCopied).join('\n'));
    event.preventDefault();
  });
}
