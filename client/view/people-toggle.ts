// On narrow screens the chat gets the screen and the member list with the name form sits
// behind a toggle (styles.css hides the toggle where both fit). The toggle's count mirrors
// the list's, which the member list view keeps.
import { byTestId } from './dom.ts';

export function watchPeopleToggle(): void {
  const toggle = byTestId<HTMLButtonElement>('people-toggle');
  const side = document.getElementById('side') as HTMLElement;
  const listCount = document.getElementById('member-count') as HTMLElement;
  const toggleCount = document.getElementById('people-count') as HTMLElement;

  function setOpen(open: boolean): void {
    toggle.setAttribute('aria-expanded', String(open));
    side.classList.toggle('open', open);
  }
  /** The panel is open as a panel: a phone's, behind the toggle (a wide screen has no toggle, and no panel to close). */
  const panelOpen = (): boolean =>
    toggle.getAttribute('aria-expanded') === 'true' && getComputedStyle(toggle).display !== 'none';
  side.tabIndex = -1;
  toggle.addEventListener('click', (event) => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    setOpen(open);
    if (!open) return;
    // From the keyboard (a click of detail 0), into its first field. A tap goes to the panel
    // itself: the name box put a phone's keyboard over the list the tap opened it to see.
    if (event.detail === 0) side.querySelector<HTMLElement>('input, button')?.focus();
    else side.focus({ preventScroll: true });
  });
  // Choosing a member to write to privately (their entry or its ✉: view/private.ts) is done
  // with the panel: it closes, and the keyboard goes to the message box, where the private
  // line is written.
  const list = document.getElementById('members') as HTMLElement;
  const messageInput = byTestId<HTMLTextAreaElement>('message-input');
  list.addEventListener('click', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest('[data-testid=peer]')) return;
    if (!panelOpen()) return;
    setOpen(false);
    messageInput.focus();
  });
  // On a phone the open panel lies over the chat (styles.css): a tap on the chat, as on
  // anything that lies over a page, closes it.
  const chat = document.getElementById('chat') as HTMLElement;
  chat.addEventListener('pointerdown', () => {
    if (panelOpen()) setOpen(false);
  });
  // Escape inside the open panel closes it and gives the keyboard back to the toggle.
  side.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !panelOpen()) return;
    setOpen(false);
    toggle.focus();
  });
  // The keyboard going on past the panel (Tab from its last field, to the call's buttons and
  // the chat it lies over) closes it, as a tap on the chat does: it stayed open, over the
  // very buttons the keyboard was on, and Escape there did nothing. Back to the toggle
  // (Shift+Tab from its first field) it stays; nowhere (the window lost focus), it stays.
  side.addEventListener('focusout', (event) => {
    const to = event.relatedTarget;
    if (!(to instanceof Node) || side.contains(to) || toggle.contains(to) || !panelOpen()) return;
    setOpen(false);
  });
  new MutationObserver(() => {
    toggleCount.textContent = listCount.textContent;
  }).observe(listCount, { childList: true, characterData: true, subtree: true });
}
