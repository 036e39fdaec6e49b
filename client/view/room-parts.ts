// What needs a room, besides the message box: the call (its bar is redrawn on every change,
// so it is hidden, not disabled), files, picked, dropped on the chat or pasted, or recorded
// (the Record button of voice messages), renaming (and the hint under the name), naming the
// room, and the member list. Off while the page is in no room (set(true)), on again with
// set(false). Save the chat stays: lines from before a seat was lost are still worth keeping.
import { byTestId } from './dom.ts';

export function roomParts(): { set(outside: boolean): void } {
  const call = document.getElementById('call') as HTMLElement;
  const list = document.getElementById('members') as HTMLElement;
  const heading = document.getElementById('member-count')?.parentElement;
  const toggleCount = document.getElementById('people-count') as HTMLElement;
  const fileInput = byTestId<HTMLInputElement>('file-input');
  const recordButton = byTestId<HTMLButtonElement>('voice-record');
  const nameInput = byTestId<HTMLInputElement>('name-input');
  const renameButton = byTestId<HTMLButtonElement>('join-button');
  const nameHint = document.getElementById('name-hint') as HTMLElement;
  const roomNameButton = byTestId<HTMLButtonElement>('room-name');
  const roomNameInput = byTestId<HTMLInputElement>('room-name-input');
  let outside = false;
  // Caught on the way down, before the listeners on the chat that take files (file-send.ts).
  // A file dropped is refused (not opened by the browser in place of the page).
  const refuse = (event: DragEvent): void => {
    if (!outside) return;
    event.stopPropagation();
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'none';
  };
  window.addEventListener('dragover', refuse, { capture: true });
  window.addEventListener('drop', refuse, { capture: true });
  window.addEventListener('paste', (event) => outside && event.stopPropagation(), { capture: true });
  return {
    set(now) {
      outside = now;
      call.hidden = now;
      // Nor the member list: "In this room 1" and ourselves listed, as if we were in one.
      list.hidden = now;
      if (heading) heading.hidden = now;
      toggleCount.hidden = now; // its copy on a phone's People toggle
      fileInput.disabled = now;
      recordButton.disabled = now;
      // A name is the room's to accept: a rename asked for here would go nowhere.
      nameInput.disabled = now;
      renameButton.disabled = now;
      // And what was said of the name in the room ("Change it any time", a free variant to
      // take in one click): it invites what is off, and it was the room's word.
      nameHint.hidden = now;
      // Nor the room's name: one set here reached nobody, and was gone once in (an
      // exploratory pass). A field left open is closed without saving (view/room-name.ts).
      if (now && !roomNameInput.hidden) roomNameInput.blur();
      roomNameButton.disabled = now;
      roomNameInput.disabled = now;
    },
  };
}
