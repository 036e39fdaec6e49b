// Names as the page shows them: each member's by its peer id (member-names.ts: as it is now; one
// gone, as it left), drawn again wherever the page names it when it changes (its lines, our private lines to
// it, the quotes of its lines, a reply to one being written, who read our lines and who
// reacted); members the server gave one name
// told apart by their key codes (twins.ts), said once in the chat, and tagged wherever a name
// is drawn (the member list, our own entry, the lines, the private bar, what @ offers); a member
// gone marked "(earlier)" once its name is someone's here; and whether words name us.
// Separate from main.ts because it owns the state of that (the twins, our own key once made,
// which tags were last drawn, and the names by id) and everything else only asks it for a name,
// a tag or a redraw.
import { keysMeet } from '../../protocol/name-skeleton.ts';
import { type Author, authorUnder } from '../features/authors.ts';
import { keyCode } from '../fingerprint.ts';
import type { Identity } from '../identity.ts';
import type { MemberView } from '../member.ts';
import { heldKey } from '../member-key-hold.ts';
import { createMemberNames } from '../member-names.ts';
import type { Mesh } from '../mesh.ts';
import { createTwins, meetingText, tagText } from '../twins.ts';
import { createEarlierLines } from '../view/earlier-lines.ts';
import { unmarkEarlierRecipients } from '../view/file-recipients.ts';
import { renameInLines } from '../view/line-marks.ts';
import type { ListedMember, MembersView } from '../view/members.ts';
import { mentionsYou } from '../view/mentions.ts';
import { tagLines } from '../view/twin-tag.ts';

export interface NamesOptions {
  selfId(): string | null;
  selfName(): string;
  /** The member objects, with the keys they announced, and the members listed (bound lazily: the mesh comes later). */
  mesh: Pick<Mesh, 'member' | 'members' | 'all'>;
  /** What history knows of an author by its peer id: the keys it signed with (features/authors.ts). */
  author(peerId: string): Author | undefined;
  members: MembersView;
  identity: Identity;
  /** The member list is to be drawn again (our key code came). */
  redraw(): void;
  /** Says a line in the chat (two members met under one name). */
  say(text: string): void;
  /** Every chat line kept (lines.ts), on the page or waiting off it to come back. */
  keptLines(): Iterable<Element>;
  /** A kept line was marked "(earlier)" (earlier-lines.ts): its quotes are to be marked too. */
  markedEarlier(from: string, id: string): void;
  /** The member chosen for private messages, whose bar says its name with its tag, or "(earlier)". */
  privateBar: { current(): string | null; renamed(peerId: string): void };
  /**
   * A member's name changed, or it is here again under its id (ourselves too): what names it
   * apart from the lines (the quotes of its lines, a reply to one being written, the private
   * lines kept for a reload, who read our lines, who reacted) draws it again (`name`, as
   * nameOf says).
   */
  renamed(peerId: string, name: string): void;
}

export function wireNames({
  selfId,
  selfName,
  mesh,
  members,
  identity,
  redraw,
  say,
  keptLines,
  markedEarlier,
  privateBar,
  author,
  renamed,
}: NamesOptions) {
  /** Each member's name by its peer id, as it is now (member-names.ts). */
  const memberNames = createMemberNames({ selfId, selfName, mesh });
  /** Members the server gave one name (twins.ts): told apart by their key codes, and said once. */
  const twins = createTwins();
  /** Our public signing key, once made (for our own key code). */
  let ownKey: string | null = null;
  void identity.publicKey().then((key) => {
    ownKey = key;
    // Our own entry shows it (the list's redraw draws only the others'): it was left without
    // one whenever the key came after the page first drew it and no twin or rename followed.
    showSelf();
    redraw();
  });
  /** A key's code (fingerprint.ts), or null for no key yet: a member's, once it proved it holds it (heldKey). */
  const codeOf = (key: string | null): string | null => (key === null ? null : keyCode(key));
  /** The twins' tags as last drawn in the lines, our entry and the private bar (twins.version). */
  let twinsDrawn = 0;
  /** The names here as last compared (their keys, twins.keysOf, in order): the private bar marks a name taken since. */
  let namesCompared = '';
  /** The kept lines of members gone, marked "(earlier)" once their name is here (earlier-lines.ts). */
  const earlierLines = createEarlierLines(keptLines, twins.keysOf, markedEarlier, {
    under(from, name) {
      const { held, carriers } = authorUnder(author(from), mesh.all(), name, selfName(), twins.keysOf);
      return { held, carrying: carriers.map((member) => member.id) };
    },
    lookAgain: redraw,
  });
  /**
   * Compares the names of the members the list shows (`list` as drawn: a member silent for a
   * while is hidden, unless that silence may be our network's: status.ts listedAs). A tab that
   * crashed stays in the mesh, silent and hidden, for its return grace; its user back in a
   * new tab within it (a new id, the same name: the server had let the old one go) was taken
   * for a second member of that name, with "the server should never allow that" and key codes
   * on her lines (an exploratory pass: 4 of 5 rejoins 3-25 s after a crash). Heard again, the
   * old one is shown and compared.
   */
  function checkTwins(list: readonly Pick<MemberView, 'id' | 'name' | 'visible'>[]): void {
    const people = list.flatMap(({ id, name, visible }) =>
      visible ? [{ id, name, key: heldKey(mesh.member(id)) }] : [],
    );
    const self = selfId();
    if (self !== null) people.unshift({ id: self, name: selfName(), key: ownKey });
    // Every member listed is here, shown or not (a silent one awaiting its return).
    earlierLines.update(
      [...(self === null ? [] : [self]), ...list.map(({ id }) => id)],
      people.map((person) => person.name),
    );
    for (const meeting of twins.update(people, self)) say(meetingText(meeting));
    const names = people
      .flatMap((person) => twins.keysOf(person.name))
      .sort()
      .join('\n');
    const namesChanged = names !== namesCompared;
    namesCompared = names;
    const twinsChanged = twins.version !== twinsDrawn;
    if (twinsChanged) {
      twinsDrawn = twins.version;
      showSelf();
      // Lines off the page too: scrolled back to, they must show the tag the page shows.
      tagLines(keptLines(), othersTag);
    }
    if (!twinsChanged && !namesChanged) return;
    // The private bar says the chosen member's name again, with its tag, or "(earlier)" for
    // one gone whose name is someone's here now (earlierName).
    const chosen = privateBar.current();
    if (chosen !== null) privateBar.renamed(chosen);
  }
  /** A member's tag, where another member has its name; never on our own lines ("You"). */
  const othersTag = (peerId: string): string | null => (peerId === selfId() ? null : twins.tag(peerId));
  /** A member's name as text, with its tag where another member has that name. */
  function taggedName(peerId: string, name: string): string {
    const tag = twins.tag(peerId);
    return tag === null ? name : `${name} ${tagText(tag)}`;
  }
  function listed(member: MemberView): ListedMember {
    return { ...member, code: codeOf(heldKey(mesh.member(member.id))), twin: twins.tag(member.id) };
  }
  /**
   * Whether `name`, of the member `peerId`, is to be marked "(earlier)": it is gone, and we or a
   * member here have that name now (the private bar: view/private.ts).
   */
  function earlierName(peerId: string, name: string): boolean {
    if (peerId === selfId() || mesh.member(peerId) !== undefined) return false;
    const keys = twins.keysOf(name);
    return [selfName(), ...mesh.members().map((member) => member.name)].some((here) =>
      keysMeet(twins.keysOf(here), keys),
    );
  }
  /** A member here is called `name` now: it joined, is back under its id, or renamed (the mesh's notices). */
  function named(peerId: string, name: string): void {
    memberNames.here(peerId);
    renameInLines(keptLines(), peerId, name, taggedName(peerId, name));
    // Before the files' lines are drawn again under its name (renamed): they keep a mark they have.
    unmarkEarlierRecipients(keptLines(), peerId);
    renamed(peerId, name);
  }
  /** We renamed: our entry says so, and what names us apart from our lines ("You"). */
  function selfRenamed(): void {
    showSelf();
    const self = selfId();
    if (self !== null) renamed(self, selfName());
  }
  /** Whether these words name us, as the room's names are now (mentions.ts): with our key code, once made. */
  const namesUs = (text: string): boolean =>
    mentionsYou(
      text,
      selfName(),
      mesh.members().map((member) => member.name),
      codeOf(ownKey),
    );
  function showSelf(): void {
    const self = selfId();
    members.setSelf(self, selfName(), {
      code: codeOf(ownKey),
      twin: self === null ? null : twins.tag(self),
    });
  }

  return {
    checkTwins,
    othersTag,
    taggedName,
    listed,
    /** A member's name now, by its peer id (member-names.ts); nameOf: 'Someone' for one never had. */
    nameOf: memberNames.nameOf,
    nameNow: memberNames.nameNow,
    earlierName,
    named,
    /** A member left under `name`, or (a reload) is gone and our kept private lines name it so. */
    left: memberNames.left,
    selfRenamed,
    namesUs,
    showSelf,
    /** The confusables table came (confusables.ts): look-alike names are twins too. */
    useSkeleton: twins.useSkeleton,
    /** Names compared as they look (twins.ts): a relayed line under a look-alike of a name here is dropped. */
    nameKeys: twins.keysOf,
    /** A history line shown unmarked waits for its author's proof (earlier-lines.ts): looked at again. */
    earlierUnlessProved: () => earlierLines.waiting(),
  };
}

export type Names = ReturnType<typeof wireNames>;
