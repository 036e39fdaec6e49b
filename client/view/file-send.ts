// The ways to send files: the file button (the Files control), dropping them on the chat,
// pasting them (an image copied, say) in the message box. Where they go is said over the chat
// as they are held above it (send-where.ts).
import { byTestId } from './dom.ts';

export interface FileSending {
  send(files: File[]): void;
  /**
   * Whether the chooser may open now. False (the member written to is away, and the chat said
   * so): it stays shut, rather than the user choosing files that can go nowhere.
   */
  mayPick(): boolean;
  /**
   * Files are held over the chat: where they would go is looked at again for the hint
   * (send-where.ts), which the member written to being shut since did not change.
   */
  held?(): void;
}

/** Each way to send, wired to `send`. */
export function wireFileSending({ send, mayPick, held }: FileSending): void {
  const input = byTestId<HTMLInputElement>('file-input');
  const chat = document.getElementById('chat') as HTMLElement;
  const messageInput = byTestId<HTMLTextAreaElement>('message-input');

  // The Files control is a label around a visually hidden file input, which the keyboard
  // reaches: Enter and Space open the chooser, the browser's own behaviour (e2e/files.spec.ts).
  // A click (the label's, or Enter and Space on the input) is what opens the chooser.
  input.addEventListener('click', (event) => {
    if (!mayPick()) event.preventDefault();
  });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be picked again
    if (files.length > 0) send(files);
  });
  chat.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!chat.classList.contains('dropping')) held?.();
    chat.classList.add('dropping');
  });
  chat.addEventListener('dragleave', () => chat.classList.remove('dropping'));
  chat.addEventListener('drop', (event) => {
    chat.classList.remove('dropping');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    send(files);
  });
  messageInput.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return; // text: the input takes it as usual
    event.preventDefault();
    send(files);
  });
}
