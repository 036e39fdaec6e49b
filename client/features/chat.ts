// Chat lines: ids and sender timestamps, a per-member outbox of lines the member has not
// acknowledged yet (so nothing typed is lost while a channel opens, reopens or drains), and
// duplicate suppression on the receiving side, keyed by (author, id). The outbox lives in
// the member's slot, so it goes when the member goes.
//
// Every line is signed by its author (identity.ts), for newcomers: they get it from others
// (history.ts) and check it against the author's key. A line that comes on its author's own
// link is the author's by that link and shown at once; its signature is checked after, and
// one that does not fit is not passed on. So on a direct link a public line goes out the
// moment it is written and its signature follows (`chat:sig`), and the receiver acknowledges
// it once the signature is there: until then the line stays in our outbox, and a resend
// carries the signature inline. A line relayed through another member is shown only if its
// signature fits the key the author announced, so nothing unsigned goes through a relay.
// A private line goes only to its one recipient (on its channel, or sealed through a relay)
// and is never kept for history.
// This module is the feature and the handle the page uses; its parts, each in a module of its own:
//   chat-line.ts                what a line is to the page (ChatLine, SentLine);
//   chat-send.ts                our line written: into the outboxes, then drawn and signed;
//   chat-outbox.ts              each member's outbox, sent in order within its budget;
//   chat-resend.ts              what is not acknowledged in time, sent again;
//   chat-orphans.ts             what a member left unacknowledged, kept for its return;
//   chat-receive.ts             a member's line shown once, in order, checked against its key;
//   chat-awaiting-signature.ts  direct lines shown before their signature came;
//   chat-acks.ts                our acks, batched;
//   chat-next-task.ts           the task after this one, where the WebCrypto work waits.
import { defineFeature, type MemberHandle } from '../feature.ts';
import { createChatAcks } from './chat-acks.ts';
import { createChatOrphans } from './chat-orphans.ts';
import { type ChatOutboxOptions, createChatOutbox } from './chat-outbox.ts';
import { createChatReceiving } from './chat-receive.ts';
import { type ChatSendOptions, createChatSend } from './chat-send.ts';

export type { ChatLine, LineVerification, SentLine } from './chat-line.ts';
export { DIRECT_RESEND_FIRST_MS, RESEND_FIRST_MS, RESEND_MAX_MS } from './chat-resend.ts';
export { takesReplies, trimmedLine } from './chat-send.ts';

/**
 * What the chat is made with: what our lines need on their way out (chat-send.ts: our id and
 * name, the members, the page, our signing identity, the transcript), the hook that hears of
 * their delivery and the pacing clock (chat-outbox.ts).
 */
export type ChatOptions = Omit<ChatSendOptions, 'outbox'> &
  Pick<ChatOutboxOptions, 'delivered' | 'now'> & {
    /** A member's ack came: all its ids, some of which may name our edits (edits.ts). */
    acknowledged?: ((member: MemberHandle, ids: readonly string[]) => void) | undefined;
  };

export function createChat({
  selfId,
  selfName,
  members,
  display,
  identity,
  transcript,
  delivered,
  now,
  acknowledged,
}: ChatOptions) {
  const outbox = createChatOutbox({ signing: (id) => sending.signing(id), delivered, now });
  const sending = createChatSend({ selfId, selfName, members, display, identity, transcript, outbox });
  const orphans = createChatOrphans(now ?? (() => performance.now()));
  const acks = createChatAcks();
  const receiving = createChatReceiving({ selfId, display, transcript, acks });

  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'chat:sig', 'ack'],
    added(member) {
      outbox.added(member);
      // Back under the same id (a reload, a network back): what it went without goes first, once its channel opens.
      const back = orphans.back(member.id);
      if (back) outbox.putFirst(member, back);
    },
    shut: outbox.shut,
    opened: outbox.opened,
    drained: outbox.flush,
    receive(member, message, route = 'direct') {
      if (message.t === 'ack') {
        outbox.acknowledge(member, message.ids);
        acknowledged?.(member, message.ids);
      } else if (message.t === 'chat:sig') receiving.signature(member, message.id, message.sig);
      else receiving.line(member, message, route);
    },
    removed(member, reason) {
      acks.removed(member);
      orphans.keep(member, reason, outbox.removed(member));
    },
  });

  return {
    feature,
    /** Sends our line to everyone, or to `to` alone, as an answer to `re` if given (chat-send.ts). */
    send: sending.send,
    /**
     * Our line was deleted (edits.ts): it is sent to no one any more, not again to a member
     * that has not acknowledged it (on a channel that reopens, to a member back under its id),
     * so that its words never reach a page after their deletion. Such a member gets the
     * deletion only, which names a line it never had and changes nothing there.
     */
    withdraw(id: string): void {
      for (const member of members()) outbox.withdraw(member, id);
      orphans.withdraw(id);
    },
    /** Lines not yet acknowledged by this member (debug handle, tests). */
    pending: outbox.pending,
    /** Resolves once every line written or received so far is sent or shown (tests). */
    async idle(): Promise<void> {
      await sending.idle();
      await receiving.idle();
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
