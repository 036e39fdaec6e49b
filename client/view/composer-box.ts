// The message box: a textarea of one row that grows with what is written, up to eight rows
// and 30% of the screen's height (the stylesheet's max-height), then scrolls. Enter sends
// and Shift+Enter starts a new line, as in the chat apps people know (on a phone, Enter
// starts a line and Send sends: composer-send.ts); a pasted text keeps its line breaks. Where the
// browser sizes the box itself (CSS field-sizing: Chromium), nothing is done here; elsewhere
// the box is fitted to its content as it changes.

import { showsSomething } from '../../protocol/index.ts';
import { trimmedLine } from '../features/chat.ts';

/** Control characters but tab and line feed (a pasted terminal's escapes, a stray NUL). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f]/g;
/** Half of a surrogate pair: no character (a paste cut mid-emoji). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The text a line carries: without blank lines before it or white space after it, without
 * control characters (\r\n is \n), and with a half surrogate pair as U+FFFD. JSON writes each
 * of those as six bytes (\u0001): a line of them was over the size a relay can seal (the
 * relay's outbox refused it, and the lines behind it waited for good); without them the
 * longest line, with the longest reply, fits (composer-box.test.ts). Empty when nothing in it
 * shows (protocol/name.ts showsSomething).
 */
export function textToSend(written: string): string {
  const clean = written.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(LONE_SURROGATE, '\ufffd');
  // Nothing visible (zero-width spaces, a lone bidi control): nothing to send, as for blanks.
  return showsSomething(clean) ? trimmedLine(clean) : '';
}

/** Whether this key press sends (Enter alone, not while an input method composes). */
export function sendsOnEnter(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'isComposing' | 'keyCode'>): boolean {
  // 229: a key that an input method is still composing (Safari reports isComposing late).
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}

/** Fits the box to what it holds now (call after the value changed from script). */
export type Fit = () => void;

export function fitToContent(box: HTMLTextAreaElement): Fit {
  if (typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content')) return () => {};
  const fit = () => {
    box.style.height = 'auto';
    // scrollHeight leaves out the border; the stylesheet's max-height caps the result.
    box.style.height = `${box.scrollHeight + box.offsetHeight - box.clientHeight}px`;
  };
  box.addEventListener('input', fit);
  return fit;
}

/**
 * A touch screen without a mouse (a phone): Enter there is a new line, and Send sends
 * (composer-send.ts); what the page says of keys follows it (edit-compose.ts).
 */
export const TOUCH_ONLY = '(hover: none) and (pointer: coarse)';
