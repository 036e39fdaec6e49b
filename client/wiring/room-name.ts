// The room's name: the feature (features/room-name.ts) with the header that shows and edits it
// (view/room-name.ts), the tab's title (attention.ts, its one owner), and the chat's line when
// a member names the room or takes its name away. Separate from main.ts because the feature is
// made with its view; Save the chat reads the name through this handle (line-views.ts).

import { roomNameOf, SELF_LABEL } from '../../protocol/index.ts';
import type { NameKeys } from '../../protocol/name-skeleton.ts';
import type { MemberHandle } from '../feature.ts';
import { nameIsHere } from '../features/authors.ts';
import { createRoomName, type RoomName } from '../features/room-name.ts';
import type { Identity } from '../identity.ts';
import type { Ignored } from '../ignored.ts';
import { isolate } from '../isolate.ts';
import type { Mesh } from '../mesh.ts';
import { roomNameStore } from '../storage.ts';
import type { Attention } from '../view/attention.ts';
import { createRoomNameView } from '../view/room-name.ts';
import type { Names } from './names.ts';
import type { OwnId } from './own-id.ts';

export interface RoomNameWiringOptions {
  roomId: string;
  ownId: Pick<OwnId, 'orEmpty'>;
  selfName(): string;
  identity: Identity;
  /** A member's name as shown, and names compared as they look (names.ts). */
  names: Pick<Names, 'nameOf' | 'nameKeys'>;
  /** A member we ignore does not rename the room here (ignored.ts). */
  ignored: Pick<Ignored, 'has'>;
  /** The tab's title names the room. */
  attention: Pick<Attention, 'roomNamed'>;
  /** A line in the chat from the page itself, about a member (its id). */
  say(text: string, about?: string): void;
  /** Parts made after these, reached only when called (once main.ts has run). */
  later(): { mesh: Pick<Mesh, 'all' | 'member'> };
}

export function wireRoomName({
  roomId,
  ownId,
  selfName,
  identity,
  names,
  ignored,
  attention,
  say,
  later,
}: RoomNameWiringOptions) {
  /** A member as shown now; one gone by the name it went by (goneBy). */
  function who(peerId: string, wentBy: string, self: string): string {
    if (peerId === ownId.orEmpty()) return self;
    if (later().mesh.member(peerId)) return names.nameOf(peerId);
    return goneBy(wentBy, selfName(), later().mesh.all(), names.nameKeys);
  }

  /** ", as Carol says" for a name that is its passer's word, not its setter's checked one. */
  const passer = ({ says }: RoomName, mark = (name: string) => name): string =>
    says === null ? '' : `, as ${mark(who(says.id, says.name, 'you'))} says`;

  function shown(current: RoomName): void {
    view.show({ name: current.name, about: `named by ${who(current.by, current.byName, 'you')}${passer(current)}` });
    attention.roomNamed(current.name);
  }

  const roomName = createRoomName({
    selfId: ownId.orEmpty,
    selfName,
    members: () => later().mesh.all(),
    identity,
    ignored: ignored.has,
    changed(current, change) {
      shown(current);
      if (!change) return;
      // Each name isolated in the sentence (isolate.ts): a right-to-left one does not reorder it.
      const setter = current.by === ownId.orEmpty() ? SELF_LABEL : isolate(who(current.by, current.byName, SELF_LABEL));
      const what = current.name === null ? 'removed the room’s name' : `named the room “${isolate(current.name)}”`;
      say(`${setter} ${what}${passer(current, isolate)}`, current.by);
    },
    store: roomNameStore(roomId),
  });
  const view = createRoomNameView((typed) => {
    if (roomNameOf(typed) === null) return false;
    void roomName.set(typed);
    return true;
  });
  // The name kept for the tab is shown by `restore`, once the members it may name exist (main.ts).
  return roomName;
}

/**
 * A member gone, by the name it went by when it set or passed on the room's name: marked
 * "(earlier)" when that name looks like ours or a present member's, as history's lines are
 * (view/line-marks.ts), so that it never passes for the member here now. A name set by a
 * member gone is its passer's word, and a passer could write any name a member could have.
 */
export function goneBy(
  wentBy: string,
  selfName: string,
  members: Iterable<MemberHandle>,
  nameKeys?: (name: string) => NameKeys,
): string {
  return nameIsHere(wentBy, selfName, members, nameKeys) ? `${wentBy} (earlier)` : wentBy;
}
