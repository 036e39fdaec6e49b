// The room's name in the header: the name (cut short when long, whole on hover, with who named
// it), or a quiet "Name this room" when it has none. A click (or Enter, Space) edits it in
// place: Enter saves, Escape cancels, and either gives the keyboard back to the button; leaving
// the field cancels too. Everything a member set goes on the page as text only.
import { MAX_STACKED_MARKS, ROOM_NAME_MAX_LENGTH } from '../../protocol/index.ts';
import { byTestId, setHidden, setText } from './dom.ts';

/** What the header shows of the room's name. */
export interface ShownRoomName {
  /** null: the room has no name. */
  readonly name: string | null;
  /** "named by Bob", "named by Bob, as Carol says": said on hover and to screen readers. */
  readonly about: string;
}

export interface RoomNameView {
  show(shown: ShownRoomName): void;
}

/** The button's words while the room has no name. */
const ASK = 'Name this room';

/** What the field says of a name it cannot take (protocol/channel/room.ts roomNameOf). */
export const TOO_LONG = `A room’s name is at most ${ROOM_NAME_MAX_LENGTH} characters, with something visible, no control characters and at most ${MAX_STACKED_MARKS} accents on a letter.`;

/**
 * `rename` is given what was typed when Enter is pressed: false when it cannot be a name (the
 * field stays open, saying why); a name that changes nothing is its to let be.
 */
export function createRoomNameView(rename: (typed: string) => boolean): RoomNameView {
  const button = byTestId<HTMLButtonElement>('room-name');
  const input = byTestId<HTMLInputElement>('room-name-input');
  const text = button.querySelector<HTMLElement>('.room-name-text') as HTMLElement;
  const label = button.querySelector<HTMLElement>('.room-name-label') as HTMLElement;
  const ask = button.querySelector<HTMLElement>('.room-name-ask') as HTMLElement;
  /** Who named it, the button's description (its title would repeat the name to a screen reader). */
  const aboutText = document.getElementById('room-name-about') as HTMLElement;
  let current: string | null = null;
  /** What the field held when it opened: Enter on it unchanged names nothing (see below). */
  let opened = '';

  function close(refocus: boolean): void {
    if (input.hidden) return;
    input.setCustomValidity('');
    setHidden(input, true);
    setHidden(button, false);
    button.parentElement?.classList.remove('editing');
    if (refocus) button.focus();
  }

  button.addEventListener('click', () => {
    opened = current ?? '';
    input.value = opened;
    setHidden(button, true);
    setHidden(input, false);
    button.parentElement?.classList.add('editing');
    input.focus();
    input.select();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
      return;
    }
    if (event.key !== 'Enter' || event.isComposing) return;
    event.preventDefault();
    // Not typed in: nothing to name. Someone may have renamed the room since the field opened,
    // and Enter on what it showed then put the older name back over theirs (an exploratory pass).
    if (input.value === opened) {
      close(true);
      return;
    }
    if (!rename(input.value)) {
      input.setCustomValidity(TOO_LONG);
      input.reportValidity();
      return;
    }
    close(true);
  });
  input.addEventListener('input', () => input.setCustomValidity(''));
  // Gone elsewhere (a click, Tab): nothing saved, and the keyboard stays where it went.
  input.addEventListener('blur', () => close(false));

  return {
    show({ name, about }) {
      current = name;
      const named = name !== null;
      button.classList.toggle('named', named);
      button.parentElement?.classList.toggle('named', named);
      // Words, not hidden elements: the button's text is what it says (to screen readers too).
      setHidden(text, !named);
      setText(label, named ? 'Room name: ' : '');
      setText(ask, named ? '' : ASK);
      setText(text, name ?? '');
      // On hover the whole name (cut short on the button) and who named it; a screen reader
      // hears the name as the button's name and who named it as its description.
      button.title = named ? `${name}\n${about}` : '';
      setText(aboutText, named ? about : '');
    },
  };
}
