// Where a file or a voice message goes, said where it is made: the Files button's title, the
// hint over the chat while files are held above it, and the voice bar's "to Carol". The box
// writes to the room or to the member chosen (private-target.ts), and a drop or a clip goes
// there too; a drop said only "Drop to send" while an edit bar named Dave, and a clip recorded
// for Carol went to Bob, clicked meanwhile, the bar never saying where. Shown as the private
// bar is (view/private.ts calls this), so all of them change together.
import { isolate } from '../isolate.ts';
import type { Recipient } from '../private-target.ts';
import { byTestId } from './dom.ts';
import { sentenceNodes } from './text.ts';

/** The Files button's title while writing to everyone (index.html). */
export const FILES_TITLE = 'Send files (or drop them on the chat)';

/** Fills the three with where things go now: `recipient` (its name as the page shows it), or everyone. */
export function showSendWhere(recipient: Recipient | null): void {
  const fileButton = document.querySelector<HTMLElement>('.file-button');
  const name = recipient && isolate(recipient.name);
  // (A title is plain text: no isolate marks there, as before.)
  fileButton?.setAttribute(
    'title',
    recipient ? `Send files to ${recipient.name} alone (or drop them on the chat)` : FILES_TITLE,
  );
  // Away, a drop sends nothing (wiring/files.ts): the hint says so before the user lets go.
  byTestId('drop-hint').replaceChildren(
    ...sentenceNodes(
      recipient === null
        ? 'Drop to send to everyone'
        : recipient.away
          ? `${name} is not here: files can’t go to them until they are back`
          : recipient.shut
            ? `${name} can’t receive files now (the member list says why)`
            : `Drop to send to ${name} alone`,
    ),
  );
  // A clip recorded (or held) is for whom it was recorded for: its label follows only them.
  if (voicePinned !== undefined && voicePinned !== (recipient?.id ?? null)) return;
  byTestId('voice-to').replaceChildren(
    ...sentenceNodes(recipient === null ? 'to everyone' : `to ${name}${recipient.away ? ' (not here)' : ''}`),
  );
}

/**
 * The member a clip being recorded or held is for (null: the room), or undefined: none. Its
 * label is left as it is while the box writes to someone else (voice-record.ts pins it): a
 * clip recorded for Bob said "to everyone" after Back to everyone, and went to the room.
 */
let voicePinned: string | null | undefined;

/** A clip is recorded for `peerId` (null: the room) until unpinned. */
export function pinVoiceTo(peerId: string | null): void {
  voicePinned = peerId;
}

export function unpinVoiceTo(): void {
  voicePinned = undefined;
}
