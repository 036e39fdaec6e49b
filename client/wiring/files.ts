// Files: the feature (features/files.ts) and its view (view/files.ts), sent to the member
// chosen for private messages or to the room, taking reactions and replies as a message does,
// and sent as the reply being written, if any (voice messages too: view/voice-record.ts
// records them, and they go as files); and the lines of files this tab received or sent before
// a reload, and of those sent to the room before we joined, among the history lines
// (files/kept.ts, files/sent-kept.ts). Separate from main.ts because the files' lines are
// kept and shown again on their own terms; the rest of the page only routes the feature's
// messages and keeps unfinished transfers when the page goes.
import { sanitizeFileName } from '../../protocol/index.ts';
import type { Conversation } from '../conversation.ts';
import { createFiles } from '../features/files.ts';
import { forgetting, keptFiles } from '../files/kept.ts';
import type { FileLineInfo } from '../files/line.ts';
import { sentFiles } from '../files/sent-kept.ts';
import { reopenStoredFile } from '../files/store.ts';
import { unfinishedFiles } from '../files/unfinished.ts';
import type { Ignored } from '../ignored.ts';
import type { Mesh } from '../mesh.ts';
import type { Destination, PrivateTarget } from '../private-target.ts';
import { tabStorage } from '../storage.ts';
import { createFilesView } from '../view/files.ts';
import type { PageView } from '../view/page.ts';
import { answering } from '../view/reply-compose.ts';
import { type ClipFor, wireVoiceRecording } from '../view/voice-record.ts';
import { isVoiceMessage, VOICE_MESSAGE_WORDS } from '../voice/clip.ts';
import type { ChatSignals } from './chat-signals.ts';
import type { LineViews } from './line-views.ts';
import type { Names } from './names.ts';
import type { OwnId } from './own-id.ts';

export interface FilesWiringOptions {
  roomId: string;
  ownId: Pick<OwnId, 'orEmpty'>;
  selfName(): string;
  /**
   * The chat's lines, where files' lines go too, history's order, where a reload's go, and the
   * replies, which a file's line takes and shows as a message's do (line-views.ts).
   */
  views: Pick<LineViews, 'lines' | 'historyView' | 'replies'>;
  /** The reply being written in the message box: files and voice messages go as it, and end it. */
  composer: Pick<PageView, 'replyTarget' | 'cancelReply'>;
  /** Where a file goes: the member chosen for private messages, or the room. */
  privateTarget: Pick<PrivateTarget, 'destination' | 'destinationOf' | 'refresh'>;
  /** A file takes reactions; a member typing is talking (chat-signals.ts). */
  signals: Pick<ChatSignals, 'reactions' | 'reactionsView' | 'typing'>;
  /** Says a line in the chat about a member. */
  say(text: string, about: string): void;
  /** The note under the message box: a voice message not sent says why there. */
  note(text: string | null): void;
  /** Whether people are talking now: transfers step back while they do. */
  conversation: Pick<Conversation, 'talking'>;
  /** The members we ignore: their offers are declined without a line (ignored.ts). */
  ignored: Pick<Ignored, 'has'>;
  /** A member's name now: our files' lines name each recipient so (names.ts). */
  names: Pick<Names, 'nameNow'>;
  /** Parts made after the files, reached only when called (once main.ts has run). */
  later(): { mesh: Pick<Mesh, 'all'> };
}

export function wireFiles(options: FilesWiringOptions) {
  const {
    roomId,
    ownId,
    selfName,
    views,
    composer,
    privateTarget,
    signals,
    say,
    note,
    conversation,
    ignored,
    names,
    later,
  } = options;
  const { lines, historyView, replies } = views;
  const { reactions, reactionsView, typing } = signals;
  /**
   * Sends files (picked, dropped, pasted, or a clip) where `destination` says, as the reply being
   * written if there is one that may go there (reply-compose.ts answering), which then ends, as
   * a line sent ends it. Each file of one pick answers it.
   */
  const sendAs = (
    picked: File[],
    destination: Exclude<Destination, 'gone'>,
    answers = composer.replyTarget(),
  ): void => {
    const re = answering(answers, destination.to?.id ?? null);
    void files.sendFiles(picked, destination.to, re ?? null);
    // The bar ends if it is the reply that went (a held clip's may have been closed since).
    const open = composer.replyTarget();
    if (re !== undefined && open?.re.from === re.from && open.re.id === re.id) composer.cancelReply();
  };
  // To the member chosen for private messages, if there is one; else to the room. While that
  // member is away nothing goes (the reply being written stays), and the chat says so in words
  // for what was tried (a file was told "your message is still in the box").
  const sendFiles = (picked: File[]): void => {
    const destination = privateTarget.destination('files');
    if (destination !== 'gone') sendAs(picked, destination);
  };
  /** A clip goes to whom it was recorded for, whomever the box writes to by now; true if it went. */
  const sendClip = (clip: File, recordedFor: ClipFor): boolean => {
    // The reply open at its first Send is the one it answers, held or not (voice-record.ts).
    if (recordedFor.answers === undefined) recordedFor.answers = composer.replyTarget();
    const destination = privateTarget.destinationOf(recordedFor.to, 'voice');
    if (destination === 'gone') return false;
    sendAs([clip], destination, recordedFor.answers);
    return true;
  };
  /**
   * A file's line takes reactions and replies as a message does (a private one's, its two
   * parties' alone): its Reply quotes it by its name, a voice message's as one; and one sent as
   * a reply shows its quote first, above its name, as a reply's shows above its text.
   */
  function shown(item: HTMLLIElement, info: FileLineInfo): void {
    const { from, id, own, senderName, privateWithId } = info;
    if (info.re) item.prepend(replies.quote(info.re, { by: senderName, from, privateWith: privateWithId }));
    reactionsView.attach(item, from, id);
    reactions.shown(from, id, privateWithId);
    // Its name as its recipients show it (never empty: a reply's quote must say something).
    const text = isVoiceMessage(info.name, info.type) ? VOICE_MESSAGE_WORDS : sanitizeFileName(info.name).name;
    // A file's line is its sender's: it came on the sender's own link (never relayed), or is ours.
    replies.shown(item, {
      from,
      id,
      name: senderName,
      text,
      privateWith: privateWithId,
      own,
      checked: true,
      literal: true,
    });
  }
  const filesView = createFilesView(lines, {
    send: sendFiles,
    // Asked before the chooser opens: files that could go nowhere are not picked at all.
    mayPick: () => privateTarget.destination('files') !== 'gone',
    held: () => privateTarget.refresh(),
    shown,
    // A file sent to the room before we joined: among the earlier lines, as a reload's are.
    placeEarlier: (file, item) => placeFile(file, item),
  });

  // A voice message is a file, sent as one picked is (view/voice-record.ts); one that cannot
  // go waits in the voice bar, never thrown away.
  wireVoiceRecording({
    send: sendClip,
    mayRecord() {
      const destination = privateTarget.destination('record');
      return destination === 'gone' ? null : { to: destination.to?.id ?? null };
    },
    note,
  });

  /** Files this tab received to disk: a reload shows their lines again (files/kept.ts). */
  const keptList = keptFiles(roomId, tabStorage());
  /** Files this tab sent, as their lines ended: a reload shows those lines again (files/sent-kept.ts). */
  const sentList = sentFiles(roomId, tabStorage());
  const files = createFiles({
    selfId: ownId.orEmpty,
    selfName,
    members: () => later().mesh.all(),
    showLine: filesView.showLine,
    acceptLimit: filesView.acceptLimit,
    kept: keptList,
    // Files this tab was receiving: a reload goes on with them (files/unfinished.ts).
    unfinished: unfinishedFiles(roomId, tabStorage()),
    sent: sentList,
    notice: (member, text) => say(text, member.id),
    // A member shown typing is talking for as long as it is shown (its starts refresh it).
    talking: () => conversation.talking() || typing.anyoneTyping(),
    ignored: ignored.has,
    nameNow: names.nameNow,
  });

  // (Placed under an id no chat line can have: one with the file's id would replace it.) Once
  // the earlier lines went for good (2,000 newer ones came), one older still is not placed
  // there: a file's line goes at the bottom then, for its transfer and download to show.
  const placeFile = (file: { at: number; from: string; id: string }, item: HTMLLIElement): void => {
    if (!historyView.place({ ts: file.at, from: file.from, id: `file:${file.id}` }, item))
      lines.appendItem(item, false);
  };

  /**
   * The files' lines from before a reload. What this tab received, back among the history
   * lines by when it was offered, each with its download, or saying the file is no longer on
   * this device if its stored copy went meanwhile (a line that vanished read as never sent);
   * one shown by another tab (a duplicated one) drops off this tab's list. And what it sent,
   * as each line ended (no download: the file was not kept); a line that goes for good goes
   * from the list too.
   */
  function showEarlier(): void {
    for (const kept of keptList.list()) {
      void reopenStoredFile(kept).then((stored) => {
        if (stored.kind === 'elsewhere') return keptList.forget(kept.from, kept.id);
        const remove = forgetting(keptList, kept.from, kept.id, stored.remove);
        const file = stored.kind === 'kept' ? stored.file : null;
        filesView.showKept(kept, file, remove, (item) => placeFile(kept, item));
      });
    }
    for (const sent of sentList.list()) {
      filesView.showSent(sent, selfName(), (item) => {
        placeFile(sent, item);
        lines.whenDropped(item, () => sentList.forget(sent.id));
      });
    }
  }

  return { files, showEarlier };
}
