// Choosing the one member a private line goes to: click (or press the ✉ button of) a member's
// entry; the composer then says "Private to <name>" with a button back to everyone.
import { el } from './dom.ts';

export interface PrivateView {
  /** The chosen member (null: everyone) and its name, as the composer shows it. */
  show(recipient: { id: string; name: string } | null): void;
}

export function createPrivateView(handlers: { choose(peerId: string | null): void }): PrivateView {
  const list = document.getElementById('members') as HTMLUListElement;
  const composer = document.getElementById('composer') as HTMLFormElement;
  const input = composer.querySelector<HTMLInputElement>('[data-testid=message-input]');
  const bar = el('div', { className: 'recipient', testId: 'private-recipient' });
  bar.hidden = true;
  bar.setAttribute('role', 'status');
  const label = el('span', { className: 'recipient-name' });
  const back = el('button', { className: 'recipient-clear', text: 'Back to everyone', testId: 'private-clear' });
  back.type = 'button';
  bar.append(label, back);
  composer.prepend(bar);

  list.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const entry = target.closest<HTMLElement>('[data-testid=peer]');
    const peerId = entry?.dataset.peerId;
    if (peerId) handlers.choose(peerId);
  });
  back.addEventListener('click', () => handlers.choose(null));

  return {
    show(recipient) {
      bar.hidden = recipient === null;
      bar.dataset.peerId = recipient?.id ?? '';
      label.textContent = recipient ? `Private to ${recipient.name}` : '';
      input?.setAttribute('placeholder', recipient ? `Private message to ${recipient.name}…` : 'Write a message…');
      if (recipient) input?.focus();
    },
  };
}
