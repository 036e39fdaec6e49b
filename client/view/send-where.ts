// Where a file or a voice message goes, said where it is made: the Files button's title, the
// hint over the chat while files are held above it, and the voice bar's "to Carol". The box
// writes to the room or to the member chosen (private-target.ts), and a drop or a clip goes
// there too; a drop said only "Drop to send" while an edit bar named Dave, and a clip recorded
// for Carol went to Bob, clicked meanwhile, the bar never saying where. Shown as the private
// bar is (view/private.ts calls this), so all of them change together.
import { isolate } from '../isolate.ts';
import { type Recipient, recipientName } from '../private-target.ts';
import { byTestId } from './dom.ts';
import { sentenceNodes } from './text.ts';

/** The Files button's title while writing to everyone (index.html). */
export const FILES_TITLE = 'Send files (or drop them on the chat)';

/** A recipient's name in a sentence: isolated, with its "(earlier)" if marked so (view/private.ts). */
const inSentence = (recipient: Recipient): string =>
  `${isolate(recipient.name)}${recipient.earlier === true ? ' (earlier)' : ''}`;

/** Fills the three with where things go now: `recipient` (its name as the page shows it), or everyone. */
export function showSendWhere(recipient: Recipient | null): void {
  const fileButton = document.querySelector<HTMLElement>('.file-button');
  const name = recipient && inSentence(recipient);
  // (A title is plain text: no isolate marks there, as before.)
  fileButton?.setAttribute(
    'title',
    recipient ? `Send files to ${recipientName(recipient)} alone (or drop them on the chat)` : FILES_TITLE,
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
  const to = recipient?.id ?? null;
  if (voicePinned !== undefined && (voicePinned?.id ?? null) !== to) {
    // The box writes to someone else: whether that member is here is not followed meanwhile
    // (a held clip's label said "(not here)" after they came back), so it is not said; Send
    // looks, and the chat says why if it cannot go.
    if (voicePinned?.away) {
      voicePinned = { ...voicePinned, away: false, earlier: false };
      showVoiceTo(voicePinned);
    }
    return;
  }
  if (voicePinned !== undefined) voicePinned = recipient;
  drawn = recipient;
  showVoiceTo(recipient);
}

function showVoiceTo(recipient: Recipient | null): void {
  const name = recipient && inSentence(recipient);
  byTestId('voice-to').replaceChildren(
    ...sentenceNodes(recipient === null ? 'to everyone' : `to ${name}${recipient.away ? ' (not here)' : ''}`),
  );
}

/** Whom the voice bar's label was last drawn for (null: the room). */
let drawn: Recipient | null = null;

/**
 * The member a clip being recorded or held is for (null: the room), as its label last named
 * them, or undefined: none. Its label names them while the box writes to someone else
 * (voice-record.ts pins it): a clip recorded for Bob said "to everyone" after Back to everyone,
 * and went to the room.
 */
let voicePinned: Recipient | null | undefined;

/** A clip is recorded for `peerId` (null: the room), whom the box writes to now, until unpinned. */
export function pinVoiceTo(peerId: string | null): void {
  voicePinned = (drawn?.id ?? null) === peerId ? drawn : peerId === null ? null : { id: peerId, name: '', away: false };
}

export function unpinVoiceTo(): void {
  voicePinned = undefined;
}
