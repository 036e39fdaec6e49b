// What the chat says about the room itself: who joined, left, is back (on its link or through
// another member), went silent or renamed (the mesh's notices), our own join, and what this
// page cannot do about the room key. Separate from main.ts because the routing of a notice
// is its own small policy: a "left" waits for a reload's return (departures.ts), and "not
// responding" and "back" wait for our own outage's verdict (outage.ts), as the call's tiles do.
import type { PeerInfo } from '../../protocol/index.ts';
import { createDepartures } from '../departures.ts';
import type { MemberHandle } from '../feature.ts';
import { isolate } from '../isolate.ts';
import type { MeshNotice } from '../mesh.ts';
import type { SilenceNotices } from '../outage.ts';
import type { PrivateTarget } from '../private-target.ts';
import { NO_DIRECT_LINK } from '../view/members.ts';
import type { Names } from './names.ts';

export interface NoticesOptions {
  /** Says a line in the chat, about a member (its id) or none. */
  say(text: string, about?: string): void;
  silenceNotices: SilenceNotices;
  /** The private bar follows its member's leaving and renaming (bound lazily). */
  privateTarget: Pick<PrivateTarget, 'left' | 'renamed'>;
  /** A member's name wherever the page names it: as it joined, is back, renamed, or left (names.ts). */
  names: Pick<Names, 'named' | 'left'>;
  /** A member here, for whether its link proved the key it announced (bound lazily). */
  member(peerId: string): Pick<MemberHandle, 'keyHeld'> | undefined;
}

/** The mesh's notices (mesh.ts), said in the chat as they should be. */
export function wireNotices(options: NoticesOptions) {
  const { say: system, silenceNotices, privateTarget, names } = options;
  /** A reload's "left" and "joined" come out as one "is back" (departures.ts). */
  const departures = createDepartures(system);
  return (notice: MeshNotice): void => {
    if (notice.kind === 'left') {
      names.left(notice.id, notice.name);
      privateTarget.left(notice.id, notice.name);
    } else if (notice.kind === 'renamed') {
      privateTarget.renamed(notice.id);
      names.named(notice.id, notice.name);
    } else if (notice.kind === 'joined') {
      // Back under its id perhaps, under another name (its own taken meanwhile): its lines are
      // its own again, under the name it has now.
      names.named(notice.id, notice.name);
    }
    const text = noticeText(notice);
    if (!text) return;
    // Silent and back again may be our own outage's doing, not the member's (outage.ts).
    // The call's tiles and status, and the member list, hold the word as long
    // (view/call-silence.ts, silenceOf), and are drawn again once it is decided (status.ts).
    if (notice.kind === 'silent') silenceNotices.silent(notice.id, () => system(text, notice.id), notice.alone);
    else if (notice.kind === 'back') silenceNotices.back(notice.id, () => system(text, notice.id));
    else if (notice.kind === 'relayed') silenceNotices.reached(notice.id, () => system(text, notice.id));
    else if (notice.kind === 'left') {
      silenceNotices.gone(notice.id);
      // Its name went to a newcomer (mesh.ts): gone for sure, and said before that one joins.
      if (notice.reason === 'ERR_NAME_TAKEN') system(text, notice.id);
      else departures.left(notice.id, text, notice.name, notice.key);
    } else if (notice.kind !== 'joined') system(text, notice.id);
    else {
      const back = `${isolate(notice.name)} is back`;
      // Under its id (a reload), or a new one with its key and name (a restart without the
      // secret), once proved.
      const newcomer = {
        id: notice.id,
        joinedText: text,
        proved: () => options.member(notice.id)?.keyHeld ?? null,
      };
      if (departures.returned(notice.id, back) || departures.joinedAs(notice.name, notice.key, back, newcomer)) {
        return;
      }
      system(text, notice.id);
    }
  };
}

function noticeText(notice: MeshNotice): string | null {
  switch (notice.kind) {
    case 'joined':
      return `${isolate(notice.name)} joined`;
    case 'left':
      return `${isolate(notice.name)} left`;
    case 'silent':
      return `${isolate(notice.name)} is not responding`;
    case 'back':
      return `${isolate(notice.name)} is back`;
    case 'relayed':
      return `${isolate(notice.name)} is back, through ${isolate(notice.via)} (${NO_DIRECT_LINK})`;
    case 'renamed':
      return `${isolate(notice.previous)} is now ${isolate(notice.name)}`;
    case 'intercepted':
      return null; // shown on the member's entry, where a peer cannot fake it
  }
}

/**
 * The first line of a room we started: what to do, and what this is, for someone who opened
 * the site for the first time and sees an empty room (the new-user pass: it said only the
 * first sentence, and nothing told a newcomer what roomlink does with their words).
 */
const FIRST_LINE =
  'You started this room. Share the link to invite people: what you write, send and say here goes from browser to browser, encrypted; the server only introduces you.';

/**
 * Our first join, said in the chat: who is here, or how to invite people. `back`: this tab was
 * in the room before and took its id back (a reload): "You joined" read as if we had left.
 */
export function joinedLine(peers: readonly PeerInfo[], selfId: string | null, name: string, back = false): string {
  const others = peers.filter((p) => p.id !== selfId);
  const here = others.map((p) => isolate(p.name)).join(', ');
  if (back)
    return `You're back as ${isolate(name)}. ${others.length === 0 ? 'Nobody else is here now.' : `Here: ${here}.`}`;
  if (others.length === 0) return FIRST_LINE;
  return `You joined as ${isolate(name)}. Here: ${here}.`;
}

/**
 * Said once, after FIRST_LINE, when a member comes back under an id it held before we joined:
 * the server had lost the room (a restart), so it looked new to us, and it was not.
 */
export const notNewLine = (name: string): string =>
  `You did not start this room after all: ${isolate(name)} was in it before you, and earlier messages come from those who were.`;

/**
 * What this page cannot do about the room key, in plain words (nothing when all is well).
 * `damaged`: the link had a key that cannot be one (room-link.ts).
 */
export function roomKeyNotice(hasKey: boolean, canCrypto: boolean, damaged = false): string | null {
  if (!hasKey && damaged) {
    return 'The room key in your link (the part after “#k=”) is damaged: mistyped or cut short. Others can’t tell you from an eavesdropper, so they send you no messages and don’t show yours: ask for the full link again.';
  }
  if (!hasKey) {
    return 'You opened this room without its key (the part of the link after “#k=”). Others can’t tell you from an eavesdropper, so they send you no messages and don’t show yours: ask for the full link.';
  }
  if (!canCrypto) {
    return 'This page is on a plain http address, so it can’t prove it holds the room key or check that others do: nothing here stops someone in the middle. Open the room over https (or with --tunnel) for that protection.';
  }
  return null;
}
