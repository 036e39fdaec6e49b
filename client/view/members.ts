// The member list: one entry per member with its link state, path and problems, one stop
// for the keyboard.
import { foldName } from '../../protocol/index.ts';
import type { Ignored } from '../ignored.ts';
import type { MemberView } from '../member.ts';
import { byTestId, el, placeChildren, setText } from './dom.ts';
import { memberAbout, memberParts } from './member-about.ts';
import { createRovingList } from './roving-list.ts';
import { twinTag } from './twin-tag.ts';

/** A member reached only through another member: what its entry, call tile and chat line say. */
export const NO_DIRECT_LINK = 'no direct link';

const STATE_LABEL: Record<MemberView['state'], string> = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  unreachable: 'unreachable',
  // Which member carries it is the path's to say ("via Carol · 2 ms"): said once, not twice.
  relayed: NO_DIRECT_LINK,
};

const PROOF_FAILED = 'The room-key proof failed on this link: someone may be relaying it. Nothing is sent to it.';
/** Problems that are a security warning about the link (member-problems.ts), with what they mean. */
const SECURITY_WARNINGS: ReadonlyMap<string, string> = new Map([
  ['room-key-mismatch', PROOF_FAILED],
  ['intercepted', PROOF_FAILED],
  [
    'key-mismatch',
    'This link signs with another key than its member announced or first said: someone may be relaying it. Nothing is sent to it or taken from it.',
  ],
]);

/** What a member is doing that its entry shows besides its link: in the call, typing. */
export type Doing = 'call' | 'typing';
const DOING_WORDS: Record<Doing, string> = { call: 'in call', typing: 'typing…' };

/**
 * A member as the list shows it: its view, its key code (fingerprint.ts) for its details, and
 * the tag that tells it apart from another member of its name (twins.ts).
 */
export interface ListedMember extends MemberView {
  readonly code?: string | null;
  readonly twin?: string | null;
}

/** Our key code, and our tag while another member has our name. */
export interface SelfMarks {
  readonly code: string | null;
  readonly twin: string | null;
}

export interface MembersView {
  setSelf(id: string | null, name: string, marks?: SelfMarks): void;
  render(members: readonly ListedMember[]): void;
  /** Marks the member chosen for private messages (null: none). */
  setSelected(id: string | null): void;
  /** The members in the call, or typing, now: marked in their entries, which are not drawn anew. */
  setDoing(doing: Doing, ids: readonly string[]): void;
}

export interface MembersViewOptions {
  /** The members we ignore (ignored.ts): each other member's entry can ignore it, or stop. */
  ignored?: Pick<Ignored, 'has' | 'set'>;
}

export function createMembersView({ ignored }: MembersViewOptions = {}): MembersView {
  const self = byTestId<HTMLElement>('self');
  const list = document.getElementById('members') as HTMLUListElement;
  const count = document.getElementById('member-count') as HTMLElement;
  let selected: string | null = null;
  const doing: Record<Doing, Set<string>> = { call: new Set(), typing: new Set() };
  // One stop for the keyboard, the current entry (until the reader has been in the list, the
  // first other member, or ourselves when alone): ↑ ↓ Home End move it, Tab reaches its ✉.
  // With 8–20 members, each ✉ was a stop.
  createRovingList(list, {
    start: 'first',
    passOver: (entry) => entry === self,
    leaveTo: () => byTestId<HTMLTextAreaElement>('message-input'),
    about: (entry) => memberAbout(memberParts(entry)),
    key: (entry) => entry.dataset.peerId,
  });

  function item(member: ListedMember): HTMLLIElement {
    const entry = el('li', { className: 'member', testId: 'peer' });
    entry.dataset.peerId = member.id;
    entry.dataset.state = member.state;
    entry.dataset.verified = member.verification;
    const name = el('span', { className: 'member-name', text: member.name });
    if (member.twin) name.append(' ', twinTag(member.twin));
    if (member.code) {
      entry.dataset.code = member.code;
      name.title = `Key code ${member.code}: the same as the one their page shows as theirs, if this is them`;
    }
    const state = el('span', { className: `member-state state-${member.state}`, text: STATE_LABEL[member.state] });
    entry.append(name, state);
    for (const what of ['call', 'typing'] as const) if (doing[what].has(member.id)) entry.append(doingMark(what));
    // After what it does (setDoing puts those after the state): "in call, ignored".
    if (ignored?.has(member.id)) entry.append(el('span', { className: 'member-ignored', text: 'ignored' }));
    // Clicking the entry chooses the member for private messages (view/private.ts); the
    // button is the same for keyboards.
    const privately = el('button', { className: 'member-private', text: '✉' });
    privately.type = 'button';
    privately.setAttribute('aria-label', `Private message to ${member.name}`);
    // A mouse sees the same words on hover: ✉ alone does not say what it does.
    privately.title = `Private message to ${member.name}`;
    privately.setAttribute('aria-pressed', String(member.id === selected));
    if (member.id === selected) entry.classList.add('selected');
    entry.append(privately);
    // A link in doubt (a warning below: its key changed, a proof failed) has no ✓ beside it,
    // whatever it proved before: "nobody sits in the middle" next to "may be intercepted"
    // would contradict the warning, and a screen reader would say "verified" first.
    const inDoubt = member.reason !== null && SECURITY_WARNINGS.has(member.reason.code);
    if (member.verification === 'verified' && !inDoubt) {
      // Named and described for a screen reader, not only titled for a mouse: the title of
      // an element named otherwise is its description.
      const badge = el('span', { className: 'verified', text: '✓' });
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', 'verified');
      badge.title = 'Proved it holds this room’s key: nobody sits in the middle';
      name.append(' ', badge);
    }
    if (member.path && member.state === 'connected') {
      const kind = member.path.relayed ? 'relayed' : 'direct';
      const path = el('span', { className: 'member-path', text: `${kind}${roundTrip(member.path.rttMs)}` });
      path.dataset.path = kind;
      path.title = `${member.path.local} ↔ ${member.path.remote}`;
      entry.append(path);
    }
    if (member.via) {
      // Reached through another member (relay.ts): chat goes, files and calls do not.
      entry.dataset.via = member.via.id;
      const path = el('span', {
        className: 'member-path',
        text: `via ${member.via.name}${roundTrip(member.via.rttMs)}`,
      });
      path.dataset.path = 'via';
      path.title = 'Messages go through this member, sealed so that it cannot read or change them';
      const note = el('span', { className: 'member-note', text: 'files and calls need a direct link or TURN' });
      entry.append(path, note);
    }
    if (member.reason && !member.via) {
      const reason = el('span', { className: 'member-reason', text: member.reason.text });
      reason.dataset.reason = member.reason.code;
      const warning = SECURITY_WARNINGS.get(member.reason.code);
      if (warning !== undefined) {
        // About the link, not the person: someone may sit between us.
        reason.classList.add('member-warning');
        reason.prepend('⚠ ');
        reason.title = warning;
      }
      entry.append(reason);
    }
    // Last, in its own place at the end of the entry, with nothing after it that moves it.
    if (ignored) entry.append(ignoreButton(member, ignored));
    return entry;
  }

  /**
   * Ignore, or Stop ignoring: after ✉, the next stop in the entry (roving-list.ts). Its click
   * is not the entry's (view/private.ts): ignoring someone is not writing to them.
   */
  function ignoreButton(member: ListedMember, set: Pick<Ignored, 'has' | 'set'>): HTMLElement {
    const on = set.has(member.id);
    const words = on ? 'Stop ignoring' : 'Ignore';
    const button = el('button', { className: 'member-ignore', text: words, testId: 'member-ignore' });
    button.type = 'button';
    button.setAttribute('aria-label', `${words} ${member.name}`);
    button.title = on
      ? `Show what ${member.name} says and does again`
      : `Stop showing what ${member.name} says and does, on this page only: nobody is told, though your page sends no read receipts for what it hides`;
    button.addEventListener('click', () => set.set(member.id, !set.has(member.id)));
    return button;
  }

  function doingMark(what: Doing): HTMLElement {
    const mark = el('span', { className: 'member-doing', text: DOING_WORDS[what] });
    mark.dataset.doing = what;
    return mark;
  }

  /**
   * Each member's entry as last drawn, and what it showed. The list is redrawn on every change
   * of any member (a room of 8 forming: dozens of times); an entry whose member looks the
   * same is kept, not made again, and the list is only touched when an entry or the order
   * changed.
   */
  const drawn = new Map<string, { looks: string; entry: HTMLLIElement }>();

  function entryFor(member: ListedMember): HTMLLIElement {
    const { id, name, state, verification, via, path, reason, code, twin } = member;
    const muted = ignored?.has(id) ?? false;
    const looks = JSON.stringify([name, state, verification, id === selected, via, path, reason, code, twin, muted]);
    const last = drawn.get(id);
    if (last?.looks === looks) return last.entry;
    const entry = item(member);
    drawn.set(id, { looks, entry });
    return entry;
  }

  return {
    setSelf(id, name, marks) {
      if (id === null) delete self.dataset.peerId;
      else self.dataset.peerId = id;
      self.replaceChildren(name, ...(marks?.twin ? [' ', twinTag(marks.twin)] : []), ' (you)');
      if (marks?.code) {
        self.dataset.code = marks.code;
        self.title = `Your key code: ${marks.code}. Someone who sees the same one after your name knows it is you.`;
      }
    },
    render(members) {
      const shown = members.filter((m) => m.visible).sort(byName);
      const entries = [self, ...shown.map(entryFor)];
      if (drawn.size > shown.length) {
        const here = new Set(shown.map((m) => m.id));
        for (const id of drawn.keys()) if (!here.has(id)) drawn.delete(id);
      }
      // An entry is made anew when its member looks different (a new name, another state):
      // the keyboard's stop, and the keyboard, go to the new entry (roving-list.ts).
      placeChildren(list, entries);
      setText(count, String(shown.length + 1));
    },
    setDoing(what, ids) {
      const now = new Set(ids);
      const was = doing[what];
      if (now.size === was.size && ids.every((id) => was.has(id))) return;
      doing[what] = now;
      // In place: an entry drawn anew each time someone starts or stops typing would move
      // the keyboard, and a screen reader would read the entry again.
      for (const entry of list.querySelectorAll<HTMLElement>('[data-testid=peer]')) {
        const shown = entry.querySelector(`.member-doing[data-doing=${what}]`);
        const wanted = now.has(entry.dataset.peerId ?? '');
        if (shown && !wanted) shown.remove();
        if (wanted && !shown) {
          // In the call before typing, after the link's state, as item() puts them.
          const after = what === 'call' ? entry.querySelector('.member-state') : entry.querySelector('.member-doing');
          (after ?? entry.querySelector('.member-state'))?.after(doingMark(what));
        }
      }
    },
    setSelected(id) {
      selected = id;
      for (const entry of list.querySelectorAll<HTMLElement>('[data-testid=peer]')) {
        const chosen = entry.dataset.peerId === id;
        entry.classList.toggle('selected', chosen);
        entry.querySelector('.member-private')?.setAttribute('aria-pressed', String(chosen));
      }
    },
  };
}

/** Folded names by name: the list is sorted on every redraw, names rarely change. */
const sortKeys = new Map<string, string>();
const SORT_KEYS_KEPT = 1_000;

function sortKey(name: string): string {
  let key = sortKeys.get(name);
  if (key === undefined) {
    if (sortKeys.size >= SORT_KEYS_KEPT) sortKeys.clear();
    const folded = foldName(name);
    // Accents set aside first, so that "Émile" sorts with the E's; the folded name breaks ties.
    key = `${folded.normalize('NFD').replace(/\p{M}/gu, '')}\u0000${folded}`;
    sortKeys.set(name, key);
  }
  return key;
}

/**
 * By name as the server compares names (folded, so unique in a room), accents aside, in
 * code-point order. Not localeCompare: the page's first collation loads ICU's collation
 * data, ~230 ms of a page's main thread while a room of 8 forms on two cores (a CPU profile
 * of the mesh bench).
 */
export function byName(a: Pick<MemberView, 'id' | 'name'>, b: Pick<MemberView, 'id' | 'name'>): number {
  const x = sortKey(a.name);
  const y = sortKey(b.name);
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A round trip as the list shows it, direct or through a member: whole ms, "<1 ms" below one. */
export function roundTrip(ms: number | null): string {
  if (ms === null) return '';
  return ` · ${ms < 1 ? '<1' : ms} ms`;
}
