// Choosing the one member a private line goes to: click (or press the ✉ button of) a member's
// entry; the composer then says "Private to <name>" with a button back to everyone, and
// "… (not here)" while that member is away (private-target.ts keeps the choice: nothing goes),
// marked "(earlier)" once someone here has its name.
// Each conversation keeps its own draft in the message box. A screen reader hears whom the box
// writes to on the box itself (its description: box-description.ts), and is told as the
// conversation changes ("Writing privately to Bob", "Writing to everyone"); the bar was a
// status region that read its button's label with it, again at every redraw, and said
// nothing on the way back to everyone.
import { isolate } from '../isolate.ts';
import { type Recipient, recipientName } from '../private-target.ts';
import { pageAnnouncer } from './announcer.ts';
import { boxDescription } from './box-description.ts';
import { el } from './dom.ts';
import type { WaitingDraft } from './edit-compose.ts';
import { earlierMemberTag } from './line-marks.ts';
import { showSendWhere } from './send-where.ts';
import { sentenceNodes } from './text.ts';

export interface PrivateView {
  /**
   * The chosen member (null: everyone), its name, and whether it is away, as the composer shows
   * it; another conversation than the one shown takes the box's draft with it (swapDrafts).
   */
  show(recipient: Recipient | null): void;
  /**
   * Back to everyone, as Back to everyone does (what was typed stays with that member), with
   * the keyboard left where it is: for a member we just ignored (ignored.ts).
   */
  backToEveryone(): void;
  /** The member the bar shows as written to, or null (everyone). */
  shownId(): string | null;
}

export interface PrivateViewHandlers {
  choose(peerId: string | null): void;
  /** The room's draft was set aside for a private conversation: kept for a reload (draft.ts). */
  roomDraftSetAside?(text: string): void;
  /**
   * The draft waiting under an edit under way, or null: while the box holds an edit, it is
   * that draft, not the box's text, that swaps with the conversation.
   */
  draftUnderEdit?(): WaitingDraft | null;
}

export function createPrivateView(handlers: PrivateViewHandlers): PrivateView {
  const list = document.getElementById('members') as HTMLUListElement;
  const composer = document.getElementById('composer') as HTMLFormElement;
  const input = composer.querySelector<HTMLTextAreaElement>('[data-testid=message-input]');
  const bar = el('div', { className: 'recipient', testId: 'private-recipient' });
  bar.hidden = true;
  const label = el('span', { className: 'recipient-name' });
  label.id = 'private-recipient-words';
  const back = el('button', { className: 'recipient-clear', text: 'Back to everyone', testId: 'private-clear' });
  back.type = 'button';
  bar.append(label, back);
  composer.prepend(bar);

  /**
   * What was typed and not sent, per conversation (a member's peer id; '' for everyone). A
   * draft written privately stays with that member when the user goes back to everyone, and
   * comes back with it: left in the box, Enter would have sent it to the whole room.
   */
  const drafts = new Map<string, string>();

  /**
   * A choice made by the user: the message box takes the keyboard (a phone's People panel
   * closes: people-toggle.ts), unless `focus` is false.
   */
  function chosen(peerId: string | null, focus = true): void {
    handlers.choose(peerId);
    if (focus) input?.focus();
  }

  /**
   * The box's draft stays with the conversation it was written in, and the new one's comes
   * back: whoever changed the conversation (a click, a reply to a private line). Done by the
   * user's click alone, a reply that chose another member left the words typed for Carol in
   * the box, now writing to Dave. An edit in the box stays there (the user opened its line's
   * own conversation: wiring/private-target.ts ends any other) and the drafts swap under it.
   */
  function swapDrafts(from: string, to: string): void {
    if (!input || to === from) return;
    const box: WaitingDraft = handlers.draftUnderEdit?.() ?? {
      read: () => input.value,
      write(text) {
        input.value = text;
      },
    };
    const leaving = box.read();
    if (leaving !== '') drafts.set(from, leaving);
    else drafts.delete(from);
    if (from === '') handlers.roomDraftSetAside?.(leaving);
    box.write(drafts.get(to) ?? '');
    drafts.delete(to);
  }

  list.addEventListener('click', (event) => {
    const target = event.target;
    // Ignore (members.ts) is not a choice of whom to write to.
    if (!(target instanceof Element) || target.closest('.member-ignore')) return;
    const entry = target.closest<HTMLElement>('[data-testid=peer]');
    const peerId = entry?.dataset.peerId;
    if (peerId) chosen(peerId);
  });
  back.addEventListener('click', () => chosen(null));

  return {
    backToEveryone: () => chosen(null, false),
    shownId: () => bar.dataset.peerId || null,
    show(recipient) {
      const from = bar.dataset.peerId ?? '';
      const to = recipient?.id ?? '';
      swapDrafts(from, to);
      bar.hidden = recipient === null;
      bar.dataset.peerId = recipient?.id ?? '';
      bar.dataset.away = String(recipient?.away ?? false);
      // The name isolated (a <bdi>), as everywhere a sentence holds one: a right-to-left name
      // and what follows it did not reorder the bar around it. "Private to <name>" keeps one
      // row, a long name cut short (styles.css), whole in its title and to a screen reader; the
      // words on an absent member go under it, whole: "(earlier)" first among them for one
      // whose name someone here has now, marked as a line's author is (line-marks.ts), never
      // cut short with a long name.
      const who = el('span', { className: 'recipient-to' });
      who.append(...sentenceNodes(recipient ? `Private to ${isolate(recipient.name)}` : ''));
      who.title = recipient ? `Private to ${recipientName(recipient)}` : '';
      const away = el('span', { className: 'recipient-away' });
      away.append(
        ...(recipient?.earlier === true ? [' ', earlierMemberTag()] : []),
        ' (not here: nothing is sent until they are back)',
      );
      label.replaceChildren(who, ...(recipient?.away ? [away] : []));
      if (input) boxDescription(input).set('to', recipient ? label.id : null);
      // Its member going or coming back is said in the chat (private-target.ts); a new
      // conversation is said here.
      if (to !== from) {
        pageAnnouncer().say(recipient ? `Writing privately to ${recipientName(recipient)}` : 'Writing to everyone');
      }
      // Files picked or dropped, and voice messages, now go to that member alone too: said
      // where they are made (a user sent two files privately by mistake, the bar above the box
      // the only hint).
      showSendWhere(recipient);
      input?.setAttribute(
        'placeholder',
        recipient
          ? `Private message to ${recipientName(recipient)}${recipient.away ? ' (not here)' : ''}…`
          : 'Write a message…',
      );
    },
  };
}
