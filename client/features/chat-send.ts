// Our lines: each written line gets its id and sender time, goes into the outbox of every
// member it is for (chat-outbox.ts) at once, and is drawn on our page and signed in the next
// task; the signature follows it. A private line goes to its one recipient only.
//
// A reply carries the line it answers (`re`), signed with the line. A member whose hello said
// a version before REPLY_VERSION would refuse such a line whole: it gets the line without
// `re`, with a signature of its own over the line without it (made only when such a member is
// among the recipients), so it still reads the text. A member reached only through a relay has
// said no hello to us: it is taken to be on our version (it opened the page from the same
// server).
import { nanoid } from 'nanoid';
import { MAX_CHAT_LENGTH, type MessageOf, REPLY_VERSION, type ReplyRef } from '../../protocol/index.ts';
import { type MemberHandle, speaks } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { mark } from '../timeline.ts';
import type { ChatLine, SentLine } from './chat-line.ts';
import { afterThisTask } from './chat-next-task.ts';
import type { ChatOutbox } from './chat-outbox.ts';
import type { Transcript } from './transcript.ts';

type ChatMessage = MessageOf<'chat'>;

/**
 * Whether a member parses a line's `re`: not one whose hello said an older version (one that
 * said none, reached only through a relay, is taken to be on ours: see above).
 */
export const takesReplies = (member: Pick<MemberHandle, 'version'>): boolean => speaks(member, REPLY_VERSION, true);

/**
 * A line as it is sent: without blank rows before it or white space after it; the first row's
 * indentation stays (a pasted snippet of code). Empty when there is nothing but white space.
 */
export const trimmedLine = (text: string): string => text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();

export interface ChatSendOptions {
  selfId(): string;
  /** Our name as the server accepted it (kept with our lines for newcomers). */
  selfName(): string;
  members(): Iterable<MemberHandle>;
  display(line: ChatLine): void;
  identity: Identity;
  transcript: Transcript;
  outbox: Pick<ChatOutbox, 'push' | 'signed'>;
}

export interface ChatSend {
  /**
   * Sends our line, signed, to everyone — or, with `to`, only to that member (a private
   * line) — and shows it in the next task; with `re`, as an answer to that line. Null when
   * there is nothing to send or no such member.
   */
  send(raw: string, to?: string, re?: ReplyRef): SentLine | null;
  /** Our line with this id is not signed yet: it does not go through a relay unsigned. */
  signing(id: string): boolean;
  /** Resolves once every line written so far is signed and its signature on its way. */
  idle(): Promise<void>;
}

export function createChatSend(options: ChatSendOptions): ChatSend {
  const { selfId, selfName, members, display, identity, transcript, outbox } = options;
  /** Our lines' signatures, applied in the order the lines were written. */
  let outgoing: Promise<void> = Promise.resolve();
  /** Our lines whose signatures are not made yet: they do not go through a relay unsigned. */
  const signing = new Set<string>();
  /** Our sender times strictly increase, so that sender-time order is our writing order. */
  let lastTs = 0;

  function recipients(to: string | undefined): MemberHandle[] {
    const all = [...members()];
    return to === undefined ? all : all.filter((member) => member.id === to);
  }

  function send(raw: string, to?: string, re?: ReplyRef): SentLine | null {
    const text = trimmedLine(raw);
    if (!text || text.length > MAX_CHAT_LENGTH) return null;
    // Not to a member this page has shut out (held, or without the room key): nothing goes
    // to it, and it is not counted as a recipient.
    const sentTo = recipients(to).filter((member) => !member.disposed && !member.shut);
    if (to !== undefined && sentTo.length === 0) return null;
    const from = selfId();
    const id = nanoid();
    const ts = Math.max(Date.now(), lastTs + 1);
    lastTs = ts;
    transcript.markShown(from, id);
    const line: ChatLine = { kind: 'chat', id, from, ts, text, own: true };
    if (to !== undefined) line.privateTo = to;
    if (re !== undefined) line.re = re;
    mark('line-written');
    signing.add(id);
    // Out on the channels in this task and nothing else; our page shows the line and
    // WebCrypto signs it in the next task, and the signature follows (`chat:sig`). Drawn
    // and signed in the send's own task, the line reached the other page later: latency
    // p50 2.25 ms against 1.89 with both in the next task (medians of ten alternated rounds
    // of 200 lines, two pages on two shared cores; the bare page 0.93 ms).
    const plain: ChatMessage = { t: 'chat', id, ts, text, ...(to !== undefined ? { to } : {}) };
    const message: ChatMessage = re === undefined ? plain : { ...plain, re };
    /** What each member gets: the line, or for a member before replies the line without `re`. */
    const sentAs = (member: MemberHandle): ChatMessage => (takesReplies(member) ? message : plain);
    for (const member of sentTo) outbox.push(member, sentAs(member));
    const plainNeeded = message !== plain && sentTo.some((member) => sentAs(member) === plain);
    const signature = afterThisTask().then(() => {
      try {
        display(line);
      } catch (error) {
        // Not drawn here, but it is out and gets signed all the same: a line still counted
        // as signing would hold every later line to a member reached through a relay.
        console.error('roomlink: showing our line failed', error);
      }
      return Promise.all([
        identity.sign({ from, id, ts, text, to, re }).catch(() => null),
        plainNeeded ? identity.sign({ from, id, ts, text, to }).catch(() => null) : null,
      ]);
    });
    const name = selfName();
    outgoing = outgoing
      .then(async () => {
        const [fullSig, plainSig] = await signature;
        signing.delete(id);
        if (to === undefined) {
          const kept = { from, name, id, ts, text, ...(re ? { re } : {}), ...(fullSig ? { sig: fullSig } : {}) };
          transcript.keep(kept, 'live');
        }
        for (const member of sentTo) {
          const sent = sentAs(member);
          outbox.signed(member, sent, sent === message ? fullSig : plainSig);
        }
      })
      // One line's failure must not stop the lines after it.
      .catch((error) => console.error('roomlink: sending our signed line failed', error));
    return { ...line, sentTo: sentTo.map((member) => member.id) };
  }

  return { send, signing: (id) => signing.has(id), idle: () => outgoing };
}
