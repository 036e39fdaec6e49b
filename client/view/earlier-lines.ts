// "(earlier)" on lines already kept, once their name is here again: a line written by a
// member who has since left, under a name someone here has now, would otherwise pass for that
// member's. The mark is decided as a line comes (features/history-show.ts), but a line shown
// before the name came (one its author wrote live, before a crash and a new tab; one relayed
// before the newcomer joined), or before its author left while a namesake was here, is marked
// here, when the members here or their names change. So are the recipients listed on the line
// of a file we sent (file-recipients.ts), each by its peer id, and the recipient named by our
// private lines ("private · to Dee (earlier)"): they read as written to the new Dee. A line
// marked stays marked, and so do its quotes (replies.ts), which would otherwise still give it
// to the member here, until its member is here again under its id (wiring/names.ts:
// line-marks.ts renameInLines, replies.ts renamed, file-recipients.ts unmarkEarlierRecipients
// take the marks off).
//
// Not a line whose author is the member here under its name: one that proved it holds a key
// the author signed with (a tab that kept its key but lost its id, back under a new one). Only
// under its name: a key holder here under another name leaves the line to pass for whoever has
// this one, so the line is marked. That proof comes a
// few seconds after the member is listed (member-key-hold.ts), so a line whose author's key a
// member here carries without having proved it yet waits for it, KEY_PROOF_WAIT_MS at most
// from when the member was first here; then it is marked all the same (one that announced a
// gone author's key to pass for them never proves it). Before, Dave's lines from before his
// browser crashed were marked "(earlier)" the moment Dave was back, his key and all.

import type { NameKeys } from '../../protocol/name-skeleton.ts';
import { markEarlierRecipients } from './file-recipients.ts';
import { earlierTag, markPrivateToEarlier, privateToName } from './line-marks.ts';

/**
 * How long a member here that carries a gone author's key (announced it, or its link's hello
 * did) has to prove it holds it, before that author's lines are marked anyway. Its proof
 * follows its link's hellos after an idle moment (3 s at most), or, reached only through a
 * relay, the first message it seals to us.
 */
export const KEY_PROOF_WAIT_MS = 15_000;

/**
 * Marks the kept lines of members not `here` whose sender name is one here (`nameHere`), and
 * tells `marked` of each; not those whose author `waits` says may be here under that name. On
 * the lines of files we sent, the recipients so (markEarlierRecipients: each entry is its own
 * member, another tab's, so none waits for a proof), and on our private lines their recipient
 * (the line went to that member, not to another tab of the same key: none waits either).
 */
export function markEarlierLines(
  lines: Iterable<Element>,
  here: (peerId: string) => boolean,
  nameHere: (name: string) => boolean,
  marked: (from: string, id: string) => void = () => {},
  waits: (from: string, name: string) => boolean = () => false,
): void {
  for (const item of lines) {
    if (!(item instanceof HTMLElement)) continue;
    if (item.dataset.kind === 'file' && item.classList.contains('own')) markEarlierRecipients(item, here, nameHere);
    if (item.dataset.kind !== 'chat') continue;
    const to = item.dataset.privateTo;
    const toName = to === undefined || here(to) ? null : privateToName(item);
    if (toName !== null && nameHere(toName)) markPrivateToEarlier(item);
    if (item.dataset.earlier === 'true') continue;
    const from = item.dataset.from;
    const sender = item.querySelector('.line-sender');
    if (from === undefined || here(from) || item.classList.contains('own') || !sender?.textContent) continue;
    if (!nameHere(sender.textContent) || waits(from, sender.textContent)) continue;
    item.dataset.earlier = 'true';
    sender.after(' ', earlierTag());
    if (item.dataset.id !== undefined) marked(from, item.dataset.id);
  }
}

/** What the page knows of a gone author's keys among the members here (features/authors.ts). */
export interface AuthorsHere {
  /**
   * The author `from` among the members here under `name`: `held`, one proved it holds a key
   * the author signed with (it is the author); `carrying`, those (peer ids) that carry one
   * without having proved it yet.
   */
  under(from: string, name: string): { held: boolean; carrying: readonly string[] };
  /** Look again (the member list's next drawing calls update): a wait for a proof ran out. */
  lookAgain(): void;
}

export interface EarlierLines {
  /**
   * Who is here now: every member (`ids`, ourselves too) and the names shown (`names`).
   * The kept lines are looked through only when either changed since the last time.
   */
  update(ids: readonly string[], names: readonly string[]): void;
  /** A line came that waits for its author's proof (features/history-show.ts): look at it with the next update. */
  waiting(): void;
}

/**
 * `keptLines`: every chat line kept (lines.ts kept); `keysOf`: names compared as twins.ts
 * compares them (one name when they share a key); `marked`: told of each line marked (its author's peer id and the line's id).
 */
export function createEarlierLines(
  keptLines: () => Iterable<Element>,
  keysOf: (name: string) => NameKeys,
  marked?: (from: string, id: string) => void,
  authors?: AuthorsHere,
  now: () => number = () => performance.now(),
): EarlierLines {
  /** The members and names here when the lines were last looked through ('': look again). */
  let looked = '';
  /** When each member here was first here: how long it has had to prove a key it carries. */
  const since = new Map<string, number>();
  /** The look again when the first wait for a proof runs out. */
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    update(ids, names) {
      const at = now();
      const here = new Set(ids);
      for (const id of since.keys()) if (!here.has(id)) since.delete(id);
      for (const id of here) if (!since.has(id)) since.set(id, at);
      const keys = new Set(names.flatMap(keysOf));
      const seen = `${[...here].sort().join(' ')}\n${[...keys].sort().join('\n')}`;
      if (seen === looked) return;
      looked = seen;
      /** The soonest a wait for a proof runs out (Infinity: none waits). */
      let due = Number.POSITIVE_INFINITY;
      const waits = (from: string, name: string): boolean => {
        if (!authors) return false;
        const { held, carrying } = authors.under(from, name);
        if (held) return true;
        let waiting = false;
        for (const id of carrying) {
          const until = (since.get(id) ?? at) + KEY_PROOF_WAIT_MS;
          if (until > at) {
            waiting = true;
            due = Math.min(due, until);
          }
        }
        return waiting;
      };
      markEarlierLines(
        keptLines(),
        (peerId) => here.has(peerId),
        (name) => keysOf(name).some((key) => keys.has(key)),
        marked,
        waits,
      );
      if (due === Number.POSITIVE_INFINITY) return;
      // Looked at again with every drawing of the list (a proof that came redraws it), and once
      // the first wait runs out.
      looked = '';
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        authors?.lookAgain();
      }, due - at);
    },
    waiting() {
      looked = '';
      authors?.lookAgain();
    },
  };
}
