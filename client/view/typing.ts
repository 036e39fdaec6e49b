// The line under the chat that says who is typing. Names are the server's, set as text
// (setText: their marks cut as everywhere else).
import { byTestId, setText } from './dom.ts';

/** Up to this many names are spelled out; more become "Several people". */
const MAX_NAMED = 2;

export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length > MAX_NAMED) return 'Several people are typing…';
  if (names.length === 1) return `${names[0]} is typing…`;
  return `${names.join(' and ')} are typing…`;
}

export interface TypingView {
  show(names: readonly string[]): void;
}

export interface ComposerKeys {
  /** A keystroke left text in the message box. */
  keystroke(): void;
  /** The message box is empty again (cleared by hand, or its message sent). */
  emptied(): void;
}

export function createTypingView(keys: ComposerKeys): TypingView {
  const indicator = byTestId<HTMLElement>('typing');
  const input = byTestId<HTMLTextAreaElement>('message-input');
  input.addEventListener('input', () => {
    if (input.value.trim() === '') keys.emptied();
    else keys.keystroke();
  });
  return {
    show(names) {
      setText(indicator, typingText(names));
    },
  };
}
