// What the page shows before the server's first word: the link to share, our name, and the
// status (connecting), or why this link cannot be in a room at all (a malformed room id);
// and, in the chat, what this page cannot do about the room key. Separate from main.ts
// because it is the page's first state, said once; the server's events take it from there
// (room-events.ts).
import type { RoomLink } from '../room-link.ts';
import type { PageView } from '../view/page.ts';
import type { Names } from './names.ts';
import { roomKeyNotice } from './notices.ts';

export interface BeforeJoinOptions {
  link: Pick<RoomLink, 'shareUrl' | 'invalidRoomId' | 'key' | 'damagedKey'>;
  page: Pick<PageView, 'setShareLink' | 'setName' | 'fatal' | 'setStatus'>;
  names: Pick<Names, 'showSelf'>;
  selfName(): string;
  /** Says a line in the chat. */
  say(text: string): void;
}

export function showBeforeJoin({ link, page, names, selfName, say }: BeforeJoinOptions): void {
  page.setShareLink(link.shareUrl);
  page.setName(selfName());
  names.showSelf();
  if (link.invalidRoomId !== null) {
    page.fatal('This link’s room id is malformed. Check the link, or start a new room.');
  } else {
    page.setStatus('connecting');
    const notice = roomKeyNotice(link.key !== null, globalThis.crypto?.subtle !== undefined, link.damagedKey);
    if (notice) say(notice);
  }
}
