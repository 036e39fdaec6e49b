// The names offered after "@" in the message box (mention-suggest.ts decides which): a
// listbox under the box, as in the WAI-ARIA combobox pattern. ↓ and ↑ move among the names,
// Enter or Tab puts the chosen one in, Escape closes the list (and only the list); a click
// puts a name in too. The box keeps the keyboard all along: the chosen name is its active
// descendant. (The box stays a textarea, whose role a page may not change: it carries the
// pattern's aria-autocomplete, aria-controls and aria-activedescendant, without role=combobox.)
import { el } from './dom.ts';
import { complete, type MentionQuery, offerAt } from './mention-suggest.ts';

/**
 * What a screen reader is told as the list opens: a textarea cannot be a combobox (nor say
 * it is expanded), so without it nothing said that Enter now puts a name in rather than sends.
 */
export function mentionListOpened(count: number): string {
  return `${count} ${count === 1 ? 'name' : 'names'} to mention: up and down arrows choose, Enter puts one in`;
}

/** `names`: who can be mentioned now (the room's members, ourselves left out). `say`: tells a screen reader. */
export function createMentionBox(
  composer: HTMLElement,
  box: HTMLTextAreaElement,
  names: () => readonly string[],
  fit: () => void,
  say: (text: string) => void = () => {},
): void {
  const list = el('ul', { className: 'mention-list', testId: 'mention-list' });
  list.id = 'mention-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Members to mention');
  list.hidden = true;
  composer.append(list);
  box.setAttribute('aria-autocomplete', 'list');
  box.setAttribute('aria-controls', list.id);
  box.setAttribute('aria-haspopup', 'listbox');

  let offered: string[] = [];
  let active = 0;
  let mention: MentionQuery | null = null;
  /** Just completed: the list stays closed until the next keystroke ("@Bob " still fits "Bob 2"). */
  let quiet = false;

  function close(): void {
    offered = [];
    mention = null;
    list.hidden = true;
    list.replaceChildren();
    box.removeAttribute('aria-activedescendant');
  }

  function draw(): void {
    if (list.hidden) say(mentionListOpened(offered.length));
    list.replaceChildren(
      ...offered.map((name, index) => {
        const option = el('li', { className: 'mention-option', testId: 'mention-option' });
        option.id = `mention-option-${index}`;
        option.dataset.index = String(index);
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === active));
        // "@" outside the name's isolate: inside, a right-to-left name put it at its end.
        option.append('@', el('bdi', { text: name }));
        return option;
      }),
    );
    list.hidden = false;
    box.setAttribute('aria-activedescendant', `mention-option-${active}`);
  }

  function update(): void {
    if (quiet || box.selectionStart !== box.selectionEnd) {
      close();
      return;
    }
    const offer = offerAt(box.value, box.selectionStart, names());
    if (offer === null) {
      close();
      return;
    }
    mention = offer.mention;
    offered = offer.names;
    active = Math.min(active, offered.length - 1);
    draw();
  }

  function pick(index: number): void {
    const name = offered[index];
    if (name === undefined || mention === null) return;
    const done = complete(box.value, mention, box.selectionStart, name);
    box.value = done.value;
    box.setSelectionRange(done.caret, done.caret);
    quiet = true;
    close();
    fit();
    // Whoever listens for typing (typing.ts's view) hears the change as typed.
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }

  // Typed (not our own event from pick): the list opens again, from its first name.
  box.addEventListener('input', (event) => {
    if (!event.isTrusted) return;
    quiet = false;
    active = 0;
    update();
  });
  // The caret moved (a click, ← →): what it is in decides.
  box.addEventListener('click', update);
  box.addEventListener('keyup', (event) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End')
      update();
  });
  box.addEventListener('blur', close);
  // Before the box's own keys (Enter sends, composer-send.ts; Escape cancels a reply): the
  // capture phase on the form runs first, and what the list takes goes no further.
  composer.addEventListener(
    'keydown',
    (event) => {
      if (event.target !== box || list.hidden || event.isComposing) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      let handled = true;
      switch (event.key) {
        case 'ArrowDown':
          active = (active + 1) % offered.length;
          draw();
          break;
        case 'ArrowUp':
          active = (active - 1 + offered.length) % offered.length;
          draw();
          break;
        case 'Enter':
        case 'Tab':
          if (event.shiftKey) handled = false;
          else pick(active);
          break;
        case 'Escape':
          quiet = true;
          close();
          break;
        default:
          handled = false;
      }
      if (!handled) return;
      event.preventDefault();
      event.stopPropagation();
    },
    { capture: true },
  );
  // A press on a name must not take the keyboard from the box (its blur would close the list).
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const option = event.target instanceof Element ? event.target.closest('[role=option]') : null;
    if (option instanceof HTMLElement) pick(Number(option.dataset.index));
  });
}
