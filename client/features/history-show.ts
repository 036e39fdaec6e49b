// What a checked history line becomes: shown under "Before you joined" (a good copy
// replacing a forged or unverifiable one shown first, a relayed copy that says the line was
// edited or deleted since replacing a relayed one that does not), shown as a missed live line (a
// catch-up's), handed to edits.ts as a revision of a line already shown, or dropped and
// counted (a duplicate; a line its author's key did not check passing for us or someone
// here; one on a member's word under such a name, by an author gone, is shown marked). Lines
// checked against their author's key are kept for later newcomers. Owns what was shown of
// each line (shownAs), which the merge (history.ts) consults and the view makes it forget.
import { type HistoryLine, MAX_CLOCK_SKEW_MS, normalizeName } from '../../protocol/index.ts';
import type { NameKeys } from '../../protocol/name-skeleton.ts';
import type { MemberHandle } from '../feature.ts';
import { type Author, authorUnder, nameIsHere } from './authors.ts';
import type { ChatLine, LineVerification } from './chat.ts';
import type { Checked, Ready } from './history-checks.ts';
import type { HistoryCounts } from './history-counts.ts';
import { type KeptLine, lineKey, type Transcript } from './transcript.ts';

/** A line its author edited or deleted since writing it. */
export const isRevised = (line: HistoryLine): boolean => line.edited !== undefined || line.deleted !== undefined;

/** How far a copy was revised, as edits-lines.ts takes revisions: a deletion is final, a later edit wins. */
const revisedAt = (line: HistoryLine): number =>
  line.deleted !== undefined ? Number.POSITIVE_INFINITY : (line.edited ?? Number.NEGATIVE_INFINITY);

export interface HistoryShowOptions {
  selfId(): string;
  /** Our name now: a relayed line may not pass for ours by taking it. */
  selfName(): string;
  /** The live member objects (to know who is here). */
  members(): Iterable<MemberHandle>;
  /** Names compared as they look (authors.ts, nameIsHere); without the confusables table if not given. */
  nameKeys?: ((name: string) => NameKeys) | undefined;
  /** The live member object of this id, if it is here. */
  present(id: string): MemberHandle | undefined;
  transcript: Transcript;
  counts: HistoryCounts;
  /** Shows (or replaces, same author and id) a history line. */
  show(line: ChatLine, authorName: string): void;
  /** Shows a line missed while we were away (catchUp) as a live line, after those shown. */
  showMissed?: ((line: ChatLine) => void) | undefined;
  /** A copy of a line already shown, checked against its author's key, says it was edited or deleted. */
  revised?: ((line: HistoryLine) => void) | undefined;
  /**
   * A line shown unmarked while a member here under its name carries its author's key without
   * having proved it holds it: the page marks it "(earlier)" if no proof comes in time
   * (view/earlier-lines.ts).
   */
  earlierUnlessProved?: (() => void) | undefined;
  /** A member we ignore (ignored.ts): a line on its word alone is not shown. */
  ignored?: ((peerId: string) => boolean) | undefined;
}

export function createHistoryShow({
  selfId,
  selfName,
  members,
  nameKeys,
  present,
  transcript,
  counts,
  show,
  showMissed,
  revised,
  earlierUnlessProved,
  ignored,
}: HistoryShowOptions) {
  /**
   * Best verification shown so far per (author, id), and how far that copy was revised
   * (revisedAt): a 'true' copy replaces any other; a relayed one, a relayed copy less revised.
   */
  const shownAs = new Map<string, { verified: LineVerification; revised: number }>();

  /**
   * Whether a line its author's key did not check (on a member's word, or forged) would pass
   * for ours or a present member's, so is dropped: its author is us or someone here (a member
   * here answers with its own lines once its link opens), or it is forged under a name that
   * looks like ours or a present member's, or its name is one no member could have had (only
   * a relaying member's invention carries it). It would put words in that member's mouth.
   */
  function passesForPresent(line: HistoryLine, verified: LineVerification): boolean {
    return (
      line.from === selfId() ||
      present(line.from) !== undefined ||
      !normalizeName(line.name).ok ||
      (verified === 'false' && nameIsHere(line.name, selfName(), members(), nameKeys))
    );
  }

  /**
   * A line whose author left (another id than anyone's here) under a name that looks like ours
   * or a present member's: most often that very person, back in a new tab (a new id, a new
   * key). Shown, for what was said is the room's, but marked "earlier" (view/line-marks.ts),
   * so that it never passes for the member here now: on a member's word, or checked against
   * the key its author had (a line of Dave's from before his crash, once Dave is back).
   */
  const nameTaken = (line: HistoryLine, name: string): boolean =>
    line.from !== selfId() && present(line.from) === undefined && nameIsHere(name, selfName(), members(), nameKeys);

  /**
   * Whether the member here under the line's name is its author under a new id (a tab that kept
   * its key but not its id), whose lines are not an earlier member's: it holds a key the
   * author signed with ('held'), or carries one and has yet to prove it ('carried'). Holds it,
   * not only announced it: anyone may announce a key seen in a hello, and a member who took a
   * gone author's name and key would pass for them (MemberHandle.keyHeld; authors.ts
   * authorUnder, which the page's earlier-lines.ts asks too).
   */
  function authorHereAs(author: Author | undefined, name: string): 'held' | 'carried' | null {
    const here = authorUnder(author, members(), name, selfName(), nameKeys);
    return here.held ? 'held' : here.carriers.length > 0 ? 'carried' : null;
  }

  /** Shows a checked line (or counts it as a duplicate); synchronous, so a batch shows at once. */
  function apply({ line, relayer, relayedBy, missed }: Ready, { author, verified }: Checked): void {
    const key = lineKey(line.from, line.id);
    if (transcript.wasShown(line.from, line.id) && verified === 'true' && isRevised(line)) revised?.(line);
    // A member we ignore vouches for nothing: its lines are collapsed, and a line of another
    // author that only its word stands for (or that it altered) would be its words shown anyway.
    if (verified !== 'true' && ignored?.(relayer)) {
      counts.dropped++;
      return;
    }
    if (missed) {
      showOnceMissed(line, author, verified);
      return;
    }
    const before = shownAs.get(key);
    // A relayed copy that says its author edited the line since, or deleted it, where the one
    // shown does not (its member had missed that), is shown over it: the deleted words must not
    // stay because a member holding them answered first. Both are only their members' word.
    const further = before?.verified === 'relayed' && verified === 'relayed' && revisedAt(line) > before.revised;
    // A good copy wins over a forged or unverifiable one; otherwise the first copy stays.
    if (transcript.wasShown(line.from, line.id) || (before !== undefined && verified !== 'true' && !further)) {
      counts.duplicate++;
      return;
    }
    if (verified !== 'true' && passesForPresent(line, verified)) {
      counts.dropped++;
      return;
    }
    shownAs.set(key, { verified, revised: revisedAt(line) });
    // A copy shown over another is a copy of a line counted already.
    if (further) counts.duplicate++;
    else counts[verified === 'true' ? 'verified' : verified === 'false' ? 'forged' : 'relayed']++;
    const name = author?.name ?? line.name;
    if (verified === 'true') keepChecked(line, name);
    const history: NonNullable<ChatLine['history']> = { verified, relayedBy };
    if (verified !== 'true') history.relayer = relayer;
    if (verified !== 'false' && nameTaken(line, name)) {
      const here = verified === 'true' ? authorHereAs(author, name) : null;
      // Its author's proof on the way: the page marks it if none comes in time.
      if (here === 'carried') earlierUnlessProved?.();
      else if (here === null) history.earlier = true;
    }
    const shown: ChatLine = { ...chatLineOf(line, verified), history };
    // A time in our future was never when it was written: shown, and placed, as written when it
    // reached us, saying so (view/lines-time.ts), as a live line from a clock that far off is. A past
    // time is believed: history is from before we came.
    const now = Date.now();
    if (line.ts - now > MAX_CLOCK_SKEW_MS) shown.receivedAt = now;
    show(shown, name);
  }

  /**
   * The chat line a history line shows as. Ours only if our key checks it: a copy under our id
   * that does not (forged) is shown as its sender's claim, not as "You" with our Edit and
   * Delete on it.
   */
  function chatLineOf(line: HistoryLine, verified: LineVerification): ChatLine {
    const { id, from, ts, text = '' } = line;
    const shown: ChatLine = { kind: 'chat', id, from, ts, text, own: from === selfId() && verified === 'true' };
    if (line.re !== undefined) shown.re = line.re;
    if (line.edited !== undefined) shown.edited = line.edited;
    if (line.deleted !== undefined) shown.deleted = line.deleted;
    return shown;
  }

  /**
   * Marks a line checked against its author's key as shown, and keeps it for later
   * newcomers. Only such lines are passed on: a line taken on a member's word would reach them
   * as relayed by us, vouched for by a member who never checked it, and a hostile member's
   * 200 invented lines would push out real ones.
   */
  function keepChecked(line: HistoryLine, name: string): void {
    transcript.markShown(line.from, line.id);
    const kept: KeptLine = { from: line.from, name, id: line.id, ts: line.ts, text: line.text ?? '' };
    if (line.re !== undefined) kept.re = line.re;
    if (line.edited !== undefined) kept.edited = line.edited;
    if (line.deleted !== undefined) kept.deleted = line.deleted;
    if (line.sig !== undefined) kept.sig = line.sig;
    // On a member's word: a time beyond ours counts as now (transcript.ts, keptAt).
    transcript.keep(kept, 'history');
  }

  /**
   * A line we missed while away, shown as the live line it was: only if its author's key
   * checks it (a line on the relaying member's word is no live line of anyone's) and it was
   * not shown already (its author's resend, or another member's answer, came first). A line
   * of ours is never one: we hold every line we wrote since this page opened, so one we have
   * not shown is from before a reload, and shown as history (a live line of ours would wait
   * for receipts nobody will send, "sent" for ever).
   */
  function showOnceMissed(line: HistoryLine, author: Author | undefined, verified: LineVerification): void {
    if (verified !== 'true' || transcript.wasShown(line.from, line.id)) {
      counts[verified === 'true' ? 'duplicate' : 'dropped']++;
      return;
    }
    keepChecked(line, author?.name ?? line.name);
    counts.missed++;
    const shown: ChatLine = { ...chatLineOf(line, verified), receivedAt: Date.now() };
    if (showMissed && line.from !== selfId()) showMissed(shown);
    else show({ ...shown, history: { verified, relayedBy: '' } }, author?.name ?? line.name);
  }

  return {
    apply,
    /** Whether this line is shown: live, or a copy checked against its author's key. */
    alreadyShown: (line: HistoryLine): boolean =>
      transcript.wasShown(line.from, line.id) || shownAs.get(lineKey(line.from, line.id))?.verified === 'true',
    /** A history line went for good: what was shown of it is forgotten with it. */
    forget(from: string, id: string): void {
      shownAs.delete(lineKey(from, id));
    },
  };
}
