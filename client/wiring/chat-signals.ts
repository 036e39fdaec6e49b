// What a chat says besides the lines themselves: who is typing (features/typing.ts and its
// view), how far each of our lines got (features/receipts.ts, drawn with the member list's
// calm lane, and the read watch that says when a line was seen), emoji reactions
// (features/reactions.ts and their bars), and what needs the reader's attention (the title's
// unread count, notifications: view/attention.ts). Separate from main.ts because each is a
// feature made with its view; the lines reach them through this handle as they are shown.
import type { Conversation } from '../conversation.ts';
import type { History } from '../features/history.ts';
import { createReactions } from '../features/reactions.ts';
import { createReceipts } from '../features/receipts.ts';
import { createTyping } from '../features/typing.ts';
import type { Identity } from '../identity.ts';
import type { Ignored } from '../ignored.ts';
import type { Mesh } from '../mesh.ts';
import type { PrivateTarget } from '../private-target.ts';
import { reactionStore, receiptStore } from '../storage.ts';
import { createAttention } from '../view/attention.ts';
import { isCollapsed } from '../view/ignored-lines.ts';
import type { LinesView } from '../view/lines.ts';
import { createReactionsView } from '../view/reactions.ts';
import { createReadWatch, createReceiptsView } from '../view/receipts.ts';
import { createTypingView } from '../view/typing.ts';
import type { MemberList } from './member-list.ts';
import type { Names } from './names.ts';
import type { OwnId } from './own-id.ts';

export interface ChatSignalsOptions {
  roomId: string;
  ownId: Pick<OwnId, 'orEmpty'>;
  selfName(): string;
  identity: Identity;
  /** Names compared as they look; and a member's name now, for who read our lines and who reacted (names.ts). */
  names: Pick<Names, 'nameKeys' | 'nameNow'>;
  /** Whom our typing is for: the member written to privately, or everyone. */
  privateTarget: Pick<PrivateTarget, 'current'>;
  /** Someone is talking now (a member typing, or we): file transfers step back meanwhile. */
  conversation: Pick<Conversation, 'spoke'>;
  /** The member list shows who is typing; receipts are drawn in its calm lane (member-list.ts). */
  memberList: Pick<MemberList, 'members' | 'calm'>;
  lines: Pick<LinesView, 'whenDropped' | 'following'>;
  /**
   * The members we ignore: their typing is not shown, their lines ask nothing of us, their
   * reactions are not counted in the chips (ignored.ts).
   */
  ignored: Pick<Ignored, 'has' | 'changed'>;
  /** Our line the message box is editing, if any: typing is told to whom that line went. */
  editTarget(): { privateWith: string | null } | null;
  /** Parts made after these, reached only when called (once main.ts has run). */
  later(): {
    mesh: Pick<Mesh, 'all' | 'member'>;
    history: Pick<History, 'author'>;
  };
}

export function wireChatSignals(options: ChatSignalsOptions) {
  const {
    roomId,
    ownId,
    selfName,
    identity,
    names,
    privateTarget,
    conversation,
    memberList,
    lines,
    ignored,
    editTarget,
    later,
  } = options;
  const { members, calm } = memberList;
  const typing = createTyping({
    members: () => later().mesh.all(),
    // Writing privately: only that member hears we type. Editing a line: whom it went to
    // (editing a line private to Dave, everyone saw "Alice is typing…": an exploratory pass).
    audience() {
      const editing = editTarget();
      return editing ? editing.privateWith : privateTarget.current();
    },
    ignored: ignored.has,
    changed(list) {
      if (list.length > 0) conversation.spoke();
      typingView.show(list.map((member) => member.name));
      members.setDoing(
        'typing',
        list.map((member) => member.id),
      );
    },
  });
  const typingView = createTypingView({
    keystroke() {
      conversation.spoke();
      typing.keystroke();
    },
    emptied: () => typing.stop(),
  });
  const receipts = createReceipts({
    member: (id) => later().mesh.member(id),
    changed: (lineId, receipt) => receiptsView.update(lineId, receipt),
    store: receiptStore(roomId),
    selfId: ownId.orEmpty,
  });
  const receiptsView = createReceiptsView(calm, {
    // Here: the name it goes by now; gone: the one it left under (names.ts), or, one gone
    // before this page (a reload), the one the receipts kept.
    nameOf: (peerId) => names.nameNow(peerId) ?? receipts.nameOf(peerId) ?? 'someone who left',
    whenDropped: lines.whenDropped,
  });
  // A collapsed line of a member we ignore is not read: we never saw it (ignored-lines.ts).
  const readWatch = createReadWatch({ unseen: isCollapsed });
  const reactions = createReactions({
    selfId: ownId.orEmpty,
    selfName,
    members: () => later().mesh.all(),
    nameKeys: names.nameKeys,
    identity,
    known: (peerId) => later().history.author(peerId),
    changed: (author, id, summary) => reactionsView.update(author, id, summary),
    store: reactionStore(roomId),
    ignored: ignored.has,
  });
  const reactionsView = createReactionsView((author, id, emoji) => reactions.toggle(author, id, emoji), {
    whenDropped: lines.whenDropped,
    ignored: ignored.has,
  });
  ignored.changed((peerId) => reactionsView.ignoredChanged(peerId));
  const attention = createAttention(
    () => lines.following(),
    undefined,
    (from) => ignored.has(from),
  );

  return { typing, receipts, receiptsView, readWatch, reactions, reactionsView, attention };
}

export type ChatSignals = ReturnType<typeof wireChatSignals>;
