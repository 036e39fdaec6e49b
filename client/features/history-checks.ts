// Checking history lines against their authors' keys, never against the word of the member
// who relayed them. A line whose author is here but not linked yet waits for the author's
// hello (up to AUTHOR_KEY_WAIT_MS, then it counts as relayed); the same copy, sent by
// several members, is checked once while its check runs; a batch (an answer's chunk) is
// checked in parallel and handed on together. What a checked line becomes is not decided
// here: `apply` (history-show.ts) shows it, counts it or drops it.
import type { HistoryLine } from '../../protocol/index.ts';
import { keysMeet, type NameKeys } from '../../protocol/name-skeleton.ts';
import type { MemberHandle } from '../feature.ts';
import { type Author, type Authors, checkLine, nameKeysWithoutTable } from './authors.ts';
import type { LineVerification } from './chat.ts';

/** A line whose author is in the room waits this long for the author's key, then counts as relayed. */
const AUTHOR_KEY_WAIT_MS = 15_000;

/** A line to check and show, with the name of the member who relayed it. */
export interface Ready {
  line: HistoryLine;
  /** The id of the member who relayed it, and its name. */
  relayer: string;
  relayedBy: string;
  /** It answers a catch-up: shown as a missed live line, or not at all. */
  missed: boolean;
}

interface Waiting extends Ready {
  timer: ReturnType<typeof setTimeout>;
}

export interface Checked {
  author: Author | undefined;
  verified: LineVerification;
}

export interface HistoryChecksOptions {
  selfId(): string;
  /** Our own public key: after a reload, our earlier lines come back in history. */
  ownKey(): Promise<string | null>;
  /** The authors' keys (createHistory owns them and learns them from the members' hellos). */
  authors: Authors;
  /** The live member object of this id, if it is here. */
  present(id: string): MemberHandle | undefined;
  /** The live member objects: a member under a gone author's name may carry its key. */
  members(): Iterable<MemberHandle>;
  /** Names compared as they look (authors.ts, nameIsHere); without the confusables table if not given. */
  nameKeys?: ((name: string) => NameKeys) | undefined;
  /** Shows a checked line (or counts it as a duplicate); synchronous, so a batch shows at once. */
  apply(ready: Ready, checked: Checked): void;
}

export function createHistoryChecks({
  selfId,
  ownKey,
  authors,
  present,
  members,
  nameKeys,
  apply,
}: HistoryChecksOptions) {
  /** Lines whose author is here but whose key we do not know yet, by author id. */
  const waiting = new Map<string, Waiting[]>();
  const settling = new Set<Promise<void>>();
  /** Checks under way, by the copy they check (see checkOnce). */
  const checking = new Map<string, Promise<Checked>>();

  /** A line's author as far as we know, and how its signature checks against that. */
  async function check(line: HistoryLine): Promise<Checked> {
    let author = authors.get(line.from);
    if (line.from === selfId()) {
      const key = await ownKey();
      author = { keys: new Set(key ? [key] : []), name: line.name, heard: true };
    }
    const verified = await checkLine(line, author);
    if (verified !== 'relayed' || line.from === selfId()) return { author, verified };
    // An author gone before we learned its key (its tab kept its key, lost its id, and is back
    // under a new one and the same name): a member here under its name carries a key, and the
    // line may be signed with it. Only the key's holder signs, so it is the author's key
    // whoever carries it now; whether the member here is the author is for the page to say
    // (it holds the key, or proves it in time: history-show.ts, view/earlier-lines.ts).
    const keysOf = nameKeys ?? nameKeysWithoutTable;
    const named = keysOf(line.name);
    const carried = new Set<string>();
    for (const member of members())
      if (!member.disposed && member.key !== null && keysMeet(keysOf(member.name), named)) carried.add(member.key);
    if (carried.size === 0) return { author, verified };
    for (const candidate of carried) {
      if ((await checkLine(line, { keys: new Set([candidate]), name: line.name, heard: false })) !== 'true') continue;
      authors.signedWith(line.from, line.name, candidate);
      return { author: authors.get(line.from), verified: 'true' };
    }
    return { author, verified };
  }

  /**
   * The same copy (every member holds the same signed line) is checked once while its
   * check runs: seven answers cost one check per line, not seven.
   */
  function checkOnce(line: HistoryLine): Promise<Checked> {
    const { from, id, ts, text, re, edited, deleted, sig } = line;
    const copy = JSON.stringify([from, id, ts, text ?? null, re ?? null, edited ?? null, deleted ?? null, sig ?? null]);
    const running = checking.get(copy);
    if (running) return running;
    const made = check(line);
    checking.set(copy, made);
    void made.finally(() => checking.delete(copy));
    return made;
  }

  /**
   * Checks a batch of lines (an answer's chunk) in parallel and shows them together, in
   * one task: the page lays out the batch once, not once per line.
   */
  function settle(batch: readonly Ready[]): void {
    if (batch.length === 0) return;
    const work = Promise.all(batch.map(({ line }) => checkOnce(line))).then((results) => {
      results.forEach((result, i) => {
        apply(batch[i] as Ready, result);
      });
    });
    settling.add(work);
    void work.finally(() => settling.delete(work));
  }

  /** Takes a line to check: into the batch to check now, or waiting for its author's key. */
  function take(entry: Ready, batch: Ready[]): void {
    const { line } = entry;
    const author = present(line.from);
    if (author && !authors.get(line.from)?.heard) {
      if (author.key === null) {
        // Its author is in the room and not linked yet: its hello will tell us its key.
        const list = waiting.get(line.from) ?? [];
        const held: Waiting = {
          ...entry,
          timer: setTimeout(() => release(line.from, held), AUTHOR_KEY_WAIT_MS),
        };
        list.push(held);
        waiting.set(line.from, list);
        return;
      }
      // Not linked yet, but its key came with its join, proven with the room key: checked
      // now, not after the link, which may be the last of the newcomer's to open.
      authors.learn(author);
    }
    batch.push(entry);
  }

  /** Settles waiting lines of this author (all of them, or one that waited too long). */
  function release(authorId: string, only?: Waiting): void {
    const list = waiting.get(authorId);
    if (!list) return;
    const now = only ? list.filter((w) => w === only) : list;
    const rest = only ? list.filter((w) => w !== only) : [];
    if (rest.length > 0) waiting.set(authorId, rest);
    else waiting.delete(authorId);
    for (const entry of now) clearTimeout(entry.timer);
    settle(now);
  }

  return {
    take,
    settle,
    /** The author's key is known now, or never will be (it left): its waiting lines are checked. */
    release: (authorId: string): void => release(authorId),
    /** Resolves once every line taken so far is checked and shown, or waits for its author (tests). */
    async idle(): Promise<void> {
      await Promise.all([...settling]);
    },
  };
}
