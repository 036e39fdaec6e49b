// The page around the chat: connection status, the share link, your name and the composer.
import type { SignalingStatus } from '../signaling.ts';
import { byTestId } from './dom.ts';

const STATUS_TEXT: Record<SignalingStatus, string> = {
  connecting: 'Connecting to the server…',
  joined: '',
  reconnecting: 'Server unreachable — chat still works with connected members. Reconnecting…',
  replaced: 'This room was opened in another tab with the same identity. Reload to use it here.',
  rejected: 'The server refused to let you in.',
};

export interface PageHandlers {
  rename(name: string): void;
  send(text: string): void;
}

export interface PageView {
  setShareLink(url: string): void;
  /** The name field shows this (the name in use, or the one being tried). */
  setName(name: string): void;
  setStatus(status: SignalingStatus, detail?: string): void;
  /** A hint under the name field: why a name was refused, or what was chosen for you. */
  nameHint(message: string | null, invalid?: boolean): void;
  fatal(message: string): void;
}

export function createPageView(handlers: PageHandlers): PageView {
  const shareLink = byTestId<HTMLInputElement>('share-link');
  const copyButton = byTestId<HTMLButtonElement>('copy-button');
  const nameForm = document.getElementById('name-form') as HTMLFormElement;
  const nameInput = byTestId<HTMLInputElement>('name-input');
  const nameHint = document.getElementById('name-hint') as HTMLElement;
  const composer = document.getElementById('composer') as HTMLFormElement;
  const messageInput = byTestId<HTMLInputElement>('message-input');
  const sendButton = byTestId<HTMLButtonElement>('send-button');
  const status = byTestId<HTMLElement>('signaling-status');

  // Nobody waits for a prompt: the message box works (and has focus) from the first moment.
  messageInput.disabled = false;
  sendButton.disabled = false;
  messageInput.focus();

  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.rename(nameInput.value);
  });
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = messageInput.value;
    if (!text.trim()) return;
    handlers.send(text);
    messageInput.value = '';
    if (document.activeElement !== messageInput) messageInput.focus();
  });
  copyButton.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(shareLink.value);
      flash(copyButton, 'Copied');
    } catch {
      // No Clipboard API (insecure context, permissions): select it for the user to copy.
      shareLink.focus();
      shareLink.select();
      flash(copyButton, 'Press Ctrl+C');
    }
  });
  shareLink.addEventListener('focus', () => shareLink.select());

  function flash(button: HTMLButtonElement, text: string): void {
    const original = button.dataset.label ?? button.textContent ?? '';
    button.dataset.label = original;
    button.textContent = text;
    setTimeout(() => {
      button.textContent = original;
    }, 1500);
  }

  return {
    setShareLink(url) {
      shareLink.value = url;
    },
    setName(name) {
      if (document.activeElement !== nameInput) nameInput.value = name;
    },
    setStatus(state, detail) {
      status.dataset.state = state;
      status.textContent = detail ?? STATUS_TEXT[state];
      status.hidden = status.textContent === '';
    },
    nameHint(message, invalid = false) {
      nameInput.setAttribute('aria-invalid', invalid ? 'true' : 'false');
      nameHint.textContent = message ?? '';
    },
    fatal(message) {
      status.dataset.state = 'rejected';
      status.textContent = message;
      status.hidden = false;
      messageInput.disabled = true;
      sendButton.disabled = true;
    },
  };
}
