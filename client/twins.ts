// Members who share a name on this page. Names are unique in a room because the server checks
// them (protocol/name-key.ts); a lying or compromised server can still introduce a second
// "Alice" (or an "AIice") beside her, and the page would show two Alices, with mentions,
// replies and private lines open to go to the wrong one. The page does not take the server's
// word for it: members whose names meet as the server compares them (we among them) are told
// apart by their key codes (fingerprint.ts), each shown after the name as far as it takes to
// tell them apart ("#3f2a"), and the page says so once for each such name. Names are compared
// as the server compares them (nameKeys: one name when they share a key), with the
// confusables table once the page has it (confusables.ts): until then, without it.
import { keysWithSkeleton, type NameKeys, NO_TABLE, type Skeleton } from '../protocol/name-skeleton.ts';
import { dropOldest } from './bounded.ts';
import { CODE_GROUPS, keyCode } from './fingerprint.ts';
import { isolate } from './isolate.ts';

export interface Person {
  readonly id: string;
  readonly name: string;
  /** Its public signing key as far as this page vouches for it (MemberHandle.key), or null. */
  readonly key: string | null;
}

/** A twin's tag while its key is not known (its link's proof not in yet, or a page without WebCrypto). */
export const NO_KEY = 'no key yet';
/** What a twin's tag says when another twin announced the very same key: one of them copied it. */
export const SAME_KEY = 'same key as another';

/**
 * The tag of a twin whose key is not known, with the twin's number among those of its name in
 * the order this page met them ("no key yet, 2"): without it, two twins that came before
 * either's key read alike in the list and on every line until the keys came. The number
 * claims nothing about who is who, only which of the two on this page.
 */
export const noKeyTag = (arrival: number): string => `${NO_KEY}, ${arrival}`;

/** A tag that says the twin's key is not known yet (noKeyTag), rather than its key code. */
export const isNoKeyTag = (tag: string): boolean => tag.startsWith(NO_KEY);

/** A tag as the page writes it after a name: "#3f2a", or "(no key yet, 2)". */
export const tagText = (tag: string): string => (isNoKeyTag(tag) ? `(${tag})` : `#${tag}`);

/** Names that met for the first time on this page: what it says about them. */
export interface Meeting {
  /** The names as they are shown, ours first. */
  readonly names: readonly string[];
  /** How many members share it (we included). */
  readonly count: number;
  /** We are one of them. */
  readonly withYou: boolean;
}

export interface Twins {
  /** Who is here now, ourselves included (`selfId`): the names that met since this page last said so. */
  update(people: readonly Person[], selfId: string | null): Meeting[];
  /** What tells this member apart from the others of its name ("3f2a"), or null when its name is its own. */
  tag(id: string): string | null;
  /** Bumped whenever a tag came, changed or went (for views that draw tags in place). */
  readonly version: number;
  /** The confusables table came: names are compared with it from the next update on. */
  useSkeleton(skeleton: Skeleton): void;
  /** A name's keys as the server compares names (nameKeys), with the table once it came. */
  keysOf(name: string): NameKeys;
}

/** Name keys kept (the skeleton is costly: a name is compared on every redraw of the list). */
const KEYS_KEPT = 1_000;
/** Names the page said were shared, kept: a server that flaps a twin in and out is told of once. */
const SAID_KEPT = 256;
/** Twins' numbers kept (noKeyTag): as many as the name keys. */
const ARRIVALS_KEPT = KEYS_KEPT;

/** A twin's number among those of its name on this page, and that name's key (a rename starts over). */
interface Arrival {
  readonly key: string;
  readonly number: number;
}

export function createTwins(): Twins {
  const keys = new Map<string, NameKeys>();
  let skeleton: Skeleton = NO_TABLE;
  const said = new Set<string>();
  let tags = new Map<string, string>();
  let version = 0;
  /**
   * Each twin's number, given once, in the order this page met them (people's order), and
   * kept while it stays a twin of that name: one that leaves does not pass its number on, so
   * a number on an earlier line still means that member.
   */
  const arrivals = new Map<string, Arrival>();
  /** The last number given for each name key. */
  const lastNumber = new Map<string, number>();

  function arrival(person: Person, key: string): number {
    const known = arrivals.get(person.id);
    if (known?.key === key) return known.number;
    const number = (lastNumber.get(key) ?? 0) + 1;
    lastNumber.set(key, number);
    dropOldest(lastNumber, ARRIVALS_KEPT);
    arrivals.set(person.id, { key, number });
    dropOldest(arrivals, ARRIVALS_KEPT);
    return number;
  }

  function keysOf(name: string): NameKeys {
    let found = keys.get(name);
    if (found === undefined) {
      found = keysWithSkeleton(name, skeleton);
      keys.set(name, found);
      dropOldest(keys, KEYS_KEPT);
    }
    return found;
  }

  return {
    update(people, selfId) {
      const groups = groupsOf(people, keysOf);
      const next = new Map<string, string>();
      const met: Meeting[] = [];
      for (const [key, group] of groups) {
        if (group.length < 2) continue;
        const numbers = group.map((person) => arrival(person, key));
        for (const [id, tag] of tagsOf(group, numbers)) next.set(id, tag);
        if (said.has(key)) continue;
        said.add(key);
        dropOldest(said, SAID_KEPT);
        const ours = group.find((person) => person.id === selfId);
        const names = [...new Set((ours ? [ours, ...group] : group).map((person) => person.name))];
        met.push({ names, count: group.length, withYou: ours !== undefined });
      }
      if (next.size !== tags.size || [...next].some(([id, tag]) => tags.get(id) !== tag)) version += 1;
      tags = next;
      return met;
    },
    tag: (id) => tags.get(id) ?? null,
    get version() {
      return version;
    },
    useSkeleton(next) {
      skeleton = next;
      keys.clear();
    },
    keysOf,
  };
}

/**
 * People whose names are one (share a key), each group under its first person's first key, in
 * people's order: "BOB" and "ВОВ" meet on one key, "ВОВ" and "вов" on another, and the three
 * are one group, since any of them may be taken for another.
 */
function groupsOf(people: readonly Person[], keysOf: (name: string) => NameKeys): Map<string, Person[]> {
  /** Each person's index → the index of one before it in its group (itself: the group's first). */
  const up = people.map((_, i) => i);
  const first = (i: number): number => {
    let at = i;
    while ((up[at] ?? at) !== at) at = up[at] ?? at;
    return at;
  };
  /** Each key → the first person whose name has it. */
  const holder = new Map<string, number>();
  people.forEach((person, i) => {
    for (const key of keysOf(person.name)) {
      const other = holder.get(key);
      if (other === undefined) holder.set(key, i);
      else {
        const [a, b] = [first(i), first(other)];
        up[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const groups = new Map<string, Person[]>();
  people.forEach((person, i) => {
    const lead = people[first(i)] ?? person;
    const key = keysOf(lead.name)[0] ?? lead.name;
    const group = groups.get(key);
    if (group) group.push(person);
    else groups.set(key, [person]);
  });
  return groups;
}

/**
 * Each twin's tag: as many groups of its key code as it takes for no two of the group to
 * look the same (one, unless two codes start alike; a code is 64 bits, which no key can be
 * made to match); without a key, its number (`numbers`, in the group's order).
 */
function tagsOf(group: readonly Person[], numbers: readonly number[]): Map<string, string> {
  const codes = group.map((person) => (person.key === null ? null : keyCode(person.key)));
  const known = codes.filter((code): code is string => code !== null);
  const groupsOf = (code: string, n: number) => code.split(' ').slice(0, n).join(' ');
  let shown = 1;
  while (shown < CODE_GROUPS && new Set(known.map((code) => groupsOf(code, shown))).size < known.length) shown += 1;
  const tags = new Map<string, string>();
  group.forEach((person, i) => {
    const code = codes[i] ?? null;
    if (code === null) tags.set(person.id, noKeyTag(numbers[i] ?? 0));
    else if (known.indexOf(code) !== known.lastIndexOf(code)) tags.set(person.id, `${code} (${SAME_KEY})`);
    else tags.set(person.id, groupsOf(code, shown));
  });
  return tags;
}

/** The page's one line about names that met: what happened, why it matters, what to do. */
export function meetingText(meeting: Meeting): string {
  const names = meeting.names.map(isolate);
  const others = meeting.count - 1;
  const one = others === 1;
  const who = meeting.withYou
    ? `${one ? 'Someone else here' : `${others} others here`} ${
        names.length === 1
          ? `${one ? 'is' : 'are'} also named ${names[0]}`
          : `${one ? 'has a name that looks' : 'have names that look'} like yours (${names.join(', ')})`
      }`
    : `${meeting.count} members here ${
        names.length === 1 ? `are named ${names[0]}` : `have names that look alike (${names.join(', ')})`
      }`;
  return `${who}. The server should never allow that: one may be passing for another. Each is shown with the start of its key code after the name (#…); to know who is who, compare codes with them another way (a member's whole code is in its details, yours on your own entry).`;
}
