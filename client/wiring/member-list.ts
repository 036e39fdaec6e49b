// The member list: drawn on the next frame from the mesh as it is then, and a few times a
// second at most (view/calm.ts) unless the change cannot wait. While we seem offline everyone
// we cannot hear stays listed, as out of our reach, and a member silent on its link stays
// listed until that silence is known to be its own (status.ts listedAs); members the server
// gave one name are compared and tagged (names.ts); a doubt about the room key in our link is
// checked (key-doubt.ts); line times wait for the links to settle (deferred.ts). Separate
// from main.ts because it is one drawing with its own pace: the rest only asks for a redraw.
import type { Ignored } from '../ignored.ts';
import { createKeyDoubt } from '../key-doubt.ts';
import type { Mesh } from '../mesh.ts';
import type { Silence } from '../view/call-silence.ts';
import { createCalmLane } from '../view/calm.ts';
import { perFrame } from '../view/frame.ts';
import { createMembersView } from '../view/members.ts';
import type { PageView } from '../view/page.ts';
import type { createDeferred } from './deferred.ts';
import type { Names } from './names.ts';
import { listedAs } from './status.ts';

export interface MemberListOptions {
  /** Whose a member's silence is (view/call-silence.ts silenceOf, as the call's). */
  silence(peerId: string): Silence;
  /** The message box's warning that what we write reaches no one (key-doubt.ts). */
  page: Pick<PageView, 'keyNote'>;
  /** The members we ignore: each entry can ignore its member, or stop (ignored.ts). */
  ignored: Pick<Ignored, 'has' | 'set'>;
  /** Parts made after the list, reached only when it is drawn (once main.ts has run). */
  later(): {
    /** The members as the mesh lists them now. */
    mesh: Pick<Mesh, 'members'>;
    names: Pick<Names, 'checkTwins' | 'listed'>;
    deferred: Pick<ReturnType<typeof createDeferred>, 'membersDrawn'>;
  };
}

export function wireMemberList({ silence, page, ignored, later }: MemberListOptions) {
  const members = createMembersView({ ignored });
  /** The member list and our lines' receipts are drawn together, a few times a second at most. */
  const calm = createCalmLane();
  // Shown by the message box while no one here could confirm the room key in our link (key-doubt.ts).
  const keyDoubt = createKeyDoubt((text) => page.keyNote(text));
  /** Redraws the member list on the next frame, from the mesh as it is then (asked through `calm`). */
  const renderMembers = perFrame(() => {
    const { mesh, names, deferred } = later();
    const list = mesh.members();
    // While we seem offline, everyone we cannot hear stays listed, as out of our reach; a
    // member silent while that may be so, as it is.
    const shown = list.map((member) => listedAs(member, silence(member.id)));
    names.checkTwins(shown);
    members.render(shown.map(names.listed));
    keyDoubt.check(list);
    deferred.membersDrawn(list);
  });

  return {
    members,
    calm,
    /** Draws the list again with the lane's next batch. */
    redraw: (): void => calm(renderMembers),
    /** Draws the list again at once, out of the lane: what changed cannot wait. */
    redrawNow(): void {
      calm.cancel(renderMembers);
      renderMembers.now();
    },
  };
}

export type MemberList = ReturnType<typeof wireMemberList>;
