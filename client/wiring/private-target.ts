// The member chosen for private messages (private-target.ts keeps the choice) and how the page
// shows it: the bar above the message box with the member's name and tag (view/private.ts),
// the member selected in the list; a reply being written to a line private with someone else
// is cancelled, and so is an edit of a line of another conversation; those told we type hear
// we stopped. Separate from main.ts because a
// change of the choice reaches all of these at once; the rest only asks where a line goes.
import type { Typing } from '../features/typing.ts';
import type { Ignored } from '../ignored.ts';
import type { Mesh } from '../mesh.ts';
import { createPrivateTarget } from '../private-target.ts';
import type { DraftStore } from '../view/draft.ts';
import type { MembersView } from '../view/members.ts';
import type { PageView } from '../view/page.ts';
import { createPrivateView } from '../view/private.ts';
import type { Names } from './names.ts';

export interface PrivateTargetWiringOptions {
  members: Pick<MembersView, 'setSelected'>;
  names: Pick<Names, 'taggedName' | 'earlierName'>;
  page: Pick<PageView, 'replyTarget' | 'cancelReply' | 'editTarget' | 'cancelEdit' | 'draftUnderEdit'>;
  /** Says a line in the chat (the member written to is no longer here). */
  say(text: string): void;
  /** A member we start ignoring, if written to, is written to no more: the composer goes back to the room. */
  ignored: Pick<Ignored, 'changed'>;
  /** Where the room's draft is kept for the tab's next load (view/draft.ts). */
  roomDraft: Pick<DraftStore, 'save'>;
  /** Parts made after the choice, reached only when called (once main.ts has run). */
  later(): {
    mesh: Pick<Mesh, 'member'>;
    typing: Pick<Typing, 'audienceChanged'>;
  };
}

export function wirePrivateTarget({
  members,
  names,
  page,
  say,
  ignored,
  roomDraft,
  later,
}: PrivateTargetWiringOptions) {
  const privateTarget = createPrivateTarget({
    member: (peerId) => later().mesh.member(peerId),
    shown(target) {
      // Writing to someone else ends an edit under way: left open, the box said "Private to
      // Carol" and Save put the words typed for her in a line to the room. First, so that the
      // draft it gives back goes with its own conversation (view/private.ts swaps them). Opening
      // the edited line's own conversation keeps the edit: the drafts swap under it.
      const editing = page.editTarget();
      const to = target?.id ?? null;
      if (editing && privateView.shownId() !== to && editing.privateWith !== to) page.cancelEdit();
      members.setSelected(target?.id ?? null);
      privateView.show(
        target && {
          ...target,
          name: target.name ? names.taggedName(target.id, target.name) : 'the member you wrote to',
          earlier: target.away && target.name !== '' && names.earlierName(target.id, target.name),
        },
      );
      // A reply to a private line is for its other party alone.
      const reply = page.replyTarget();
      if (reply && reply.privateWith !== null && reply.privateWith !== target?.id) page.cancelReply();
      // Those told we type and no longer written to hear we stopped, now.
      later().typing.audienceChanged();
    },
    say,
  });
  const privateView = createPrivateView({
    choose: (peerId) => privateTarget.choose(peerId),
    roomDraftSetAside: (text) => roomDraft.save(text),
    draftUnderEdit: () => page.draftUnderEdit(),
  });
  ignored.changed((peerId, on) => {
    if (on && privateTarget.current() === peerId) privateView.backToEveryone();
  });
  return privateTarget;
}
