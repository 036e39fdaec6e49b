// The member our lines and files go to privately, or nobody (everyone gets them): the one
// owner of that choice. What was meant for one member must never go to everyone instead, so
// the choice stays when that member goes (its "left" line, a reload, or the mesh dropping it
// quietly when a member list change leaves it out): nothing goes while it is away, the
// composer says so, and it goes to that member again once it is back under the same peer id
// (a reloaded tab keeps it). Only the user's own "Back to everyone" (or another member)
// ends it.
import type { MemberHandle } from './feature.ts';
import { isolate } from './isolate.ts';

/** The chosen member as the composer shows it; `away` while it is not in the room. */
export interface Recipient {
  id: string;
  name: string;
  away: boolean;
  /**
   * Here but unable to receive (no room key, or held: MemberHandle.shut), when last looked at:
   * the drop hint looks again as files are held over the chat (refresh).
   */
  shut?: boolean;
  /**
   * Away, under a name someone here has now: said "(earlier)", as the lines of a member gone
   * are (view/earlier-lines.ts), or the bar's "Private to Dee (not here…)" reads as the Dee here.
   * The page's wiring marks it (wiring/private-target.ts), which knows the names here.
   */
  earlier?: boolean;
}

/** A recipient's name as a sentence or a title says it: "Dee (earlier)" for one marked so. */
export const recipientName = (recipient: Recipient): string =>
  recipient.earlier === true ? `${recipient.name} (earlier)` : recipient.name;

export interface PrivateTargetOptions {
  member(peerId: string): MemberHandle | undefined;
  /** The choice changed, or its member went or came back: the composer's bar and the member list show it. */
  shown(target: Recipient | null): void;
  /** A line for the chat. */
  say(text: string): void;
}

/** Where our next line or file goes. */
export type Destination = { to: MemberHandle | null } | 'gone';

/**
 * What is being sent, for the sentence that says it did not go: a line stays in the box; a
 * file was not sent (the user still has it); a voice message is refused before it is recorded,
 * and one recorded already waits in the voice bar (view/voice-record.ts). "Your message is
 * still in the box" was said for a file and for a clip thrown away.
 */
export type Sending = 'message' | 'files' | 'record' | 'voice';

/** What is said after "Carol is not here: " for each. */
const AWAY: Record<Sending, string> = {
  message: 'nothing was sent, and your message is still in the box.',
  files: 'files can’t go to them until they are back, so nothing was sent.',
  record: 'voice messages can’t go to them until they are back, so nothing is recorded.',
  voice: 'your voice message was not sent. It waits in the voice bar: Send it once they are back, or Cancel.',
};
/** What is said after "Carol can’t receive messages now (the member list says why): " for each. */
const SHUT: Record<Sending, string> = {
  message: 'nothing was sent, and your message is still in the box.',
  files: 'nothing was sent.',
  record: 'nothing is recorded.',
  voice: 'your voice message was not sent. It waits in the voice bar: Send it later, or Cancel.',
};

/** A member as a sentence names it (its name may not be known: one gone before it was chosen). */
const whoIs = (name: string): string => (name ? isolate(name) : 'The member you wrote to');

/** Why nothing went to the member of `name`: not here, or here but `shut`; in words for what was `sending`. */
function unsent(name: string, shut: boolean, sending: Sending): string {
  return shut
    ? `${whoIs(name)} can’t receive messages now (the member list says why): ${SHUT[sending]}`
    : `${whoIs(name)} is not here: ${AWAY[sending]}`;
}

export function createPrivateTarget({ member, shown, say }: PrivateTargetOptions) {
  let chosen: string | null = null;
  /** Its name when chosen, renamed or last seen, to say who went. */
  let chosenName = '';
  /** The chosen member was in the room when we last looked. */
  let present = false;
  /** A look at the member list is queued (membersChanged). */
  let lookQueued = false;

  /** The chosen member was shut when last shown. */
  let shownShut = false;

  const isShut = (): boolean => chosen !== null && present && member(chosen)?.shut === true;
  const show = (): void => {
    shownShut = isShut();
    shown(chosen === null ? null : { id: chosen, name: chosenName, away: !present, shut: shownShut });
  };

  /**
   * Writes to `peerId` from now on (null: everyone). A member not here (a reply to a private
   * line of one gone since) is chosen all the same, away, under `name`: made "everyone" instead,
   * the reply typed for it went to the room.
   */
  function choose(peerId: string | null, name = ''): void {
    const target = peerId === null ? undefined : member(peerId);
    chosen = target?.id ?? peerId;
    chosenName = target?.name ?? name;
    present = target !== undefined;
    show();
  }

  /** Looks whether the chosen member is here, showing (and saying) a change; true if it is, or none is chosen. */
  function here(): boolean {
    if (chosen === null) return true;
    const found = member(chosen);
    if (found) chosenName = found.name;
    if ((found !== undefined) === present) return present;
    present = found !== undefined;
    show();
    if (!present) {
      say(
        `${whoIs(chosenName)} is no longer here. You are still writing privately to them: nothing you write goes to anyone until they are back, or you choose Back to everyone.`,
      );
    }
    return present;
  }

  return {
    choose,
    /** The chosen member's id (here or not), or null. */
    current: (): string | null => chosen,
    /**
     * Where what we send now goes: the chosen member, or everyone (null). 'gone' when the
     * chosen member is not here, or is here but shut (MemberHandle.shut): nothing may go (the
     * composer keeps the text, and the chat says why, in words for what was `sending`), and
     * private mode stays.
     */
    destination(sending: Sending = 'message'): Destination {
      if (!here()) {
        say(unsent(chosenName, false, sending));
        return 'gone';
      }
      const to = chosen === null ? null : (member(chosen) ?? null);
      // Here but shut (no room key, or held: the member list says which): the chat would
      // queue nothing for it, and Enter did nothing the user could see.
      if (to?.shut) {
        say(unsent(chosenName, true, sending));
        return 'gone';
      }
      return { to };
    },
    /**
     * Where something made for `peerId` (null: the room) goes now, whomever the box writes to
     * since: a voice message is kept for whom it was recorded (view/voice-record.ts). 'gone'
     * when that member is not here or shut, as destination() says it.
     */
    destinationOf(peerId: string | null, sending: Sending): Destination {
      if (peerId === null) return { to: null };
      const to = member(peerId);
      if (to && !to.shut) return { to };
      say(unsent(to?.name ?? (peerId === chosen ? chosenName : ''), to !== undefined, sending));
      return 'gone';
    },
    /**
     * Shows the choice again as it is now: its member may have gone, or been shut or opened,
     * since (files held over the chat: the drop hint says where they would go).
     */
    refresh(): void {
      if (here() && isShut() !== shownShut) show();
    },
    /**
     * The member list changed: its member went or came back. Looked at once this task is
     * done: a join ack that gives us a new peer id drops every member, then lists them
     * again, in one task; the member we write to never left then.
     */
    membersChanged(): void {
      if (lookQueued) return;
      lookQueued = true;
      queueMicrotask(() => {
        lookQueued = false;
        here();
      });
    },
    /** A member's "left" line: its name, as it left, for what we say. */
    left(peerId: string, name: string): void {
      if (peerId !== chosen) return;
      chosenName = name;
      here();
    },
    renamed(peerId: string): void {
      if (peerId !== chosen) return;
      chosenName = member(peerId)?.name ?? chosenName;
      show();
    },
  };
}

export type PrivateTarget = ReturnType<typeof createPrivateTarget>;
