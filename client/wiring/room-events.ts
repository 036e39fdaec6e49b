// What the server tells us about the room (signaling.ts's events): our join's answer (our id
// and name, the ICE servers, the members here, what to ask of them and what this tab kept for
// a reload), members joining, leaving and renamed, their signals, a name taken at the join,
// and the socket's status, with a full room keeping us out. Separate from main.ts because the
// join's answer is the one moment that sets up most of the page; the handlers are made and
// attached once everything they reach exists.
import type { Calls } from '../features/calls.ts';
import type { History } from '../features/history.ts';
import type { Ice } from '../ice.ts';
import type { Mesh } from '../mesh.ts';
import type { SignalingHandlers } from '../signaling.ts';
import { saveResume } from '../storage.ts';
import type { PageView } from '../view/page.ts';
import type { ChatWiring } from './chat.ts';
import type { LineViews } from './line-views.ts';
import type { Names } from './names.ts';
import { joinedLine, notNewLine } from './notices.ts';
import type { OwnId } from './own-id.ts';
import type { OwnName } from './own-name.ts';
import type { wireStatus } from './status.ts';

export interface RoomEventsOptions {
  roomId: string;
  ownId: Pick<OwnId, 'current' | 'joined' | 'returned'>;
  ownName: Pick<OwnName, 'current' | 'joined' | 'askChosen' | 'taken'>;
  mesh: Mesh;
  ice: Pick<Ice, 'set'>;
  calls: Pick<Calls, 'setMaxVideoSenders' | 'leave'>;
  names: Pick<Names, 'showSelf'>;
  page: Pick<PageView, 'setName'>;
  history: Pick<History, 'joined' | 'returned'>;
  /** The history marker, told whether we are back; the chat, to say things in (line-views.ts). */
  views: Pick<LineViews, 'historyView' | 'say' | 'lineEdits'>;
  /** Our private lines from before a reload, shown again if we are back (chat.ts). */
  chat: Pick<ChatWiring, 'restorePrivate'>;
  pageStatus: Pick<ReturnType<typeof wireStatus>, 'cameBack' | 'signalingChanged'>;
}

export function roomEvents(options: RoomEventsOptions): SignalingHandlers {
  const { roomId, ownId, ownName, mesh, ice, calls, names, page, history, views, chat, pageStatus } = options;
  const { historyView, say } = views;
  const selfName = ownName.current;
  /** Our join found nobody, and the chat said we started the room (joinedLine). */
  let saidStarted = false;

  /**
   * The server keeps us out of a full room we were in (our seat was taken while we were away
   * from it: a waiting member got it). The page says we are not in the room, so we are not: our
   * links go (with a goodbye, so that the members hear it at once) and so does our call; a seat
   * that frees lets us in again by itself, with what was said meanwhile. Kept linked, the page
   * went on receiving the room's lines while saying it was not in it, over the room's cap.
   */
  function outsideTheRoom(): void {
    if (mesh.members().length === 0) return;
    calls.leave();
    for (const member of mesh.all()) member.send({ t: 'bye' });
    mesh.outside();
    say('You are no longer in this room: it is full, and your place went to someone else while you were away.');
  }

  return {
    onJoined(ack, rejoin) {
      const before = ownId.current();
      ownId.joined(ack.self.id);
      // A new id (our ticket died with the server): our lines under the old one can't be edited.
      if (before !== null && before !== ack.self.id) views.lineEdits.selfChanged();
      ownName.joined(ack.self.name);
      saveResume(roomId, ack.resume);
      mesh.setSelf(ack.self.id);
      ice.set(ack);
      calls.setMaxVideoSenders(ack.maxVideoSenders);
      names.showSelf();
      page.setName(selfName());
      if (!rejoin) {
        const back = ownId.returned();
        historyView.setBack(back);
        say(joinedLine(ack.peers, ownId.current(), selfName(), back));
        saidStarted = !back && ack.peers.every((peer) => peer.id === ack.self.id);
        // Those here before us may hold lines we have not seen: ask them.
        history.joined(ack.peers.map((peer) => peer.id));
      }
      // Back on signaling, the sync repairs the links that are down; those it just made or
      // replaced are left to negotiate (a restart would make both sides offer).
      mesh.sync(ack.peers, rejoin);
      // Our private lines from before the reload (no history brings them back), once the
      // members are known: a line to one of them names it.
      if (!rejoin) chat.restorePrivate(ownId.returned());
      if (rejoin) pageStatus.cameBack();
      ownName.askChosen();
    },
    onPeerJoined(peer) {
      // Back under an id from before our join: it was here first (the server restarted
      // before we came), and holds what was said; asked before its link opens.
      if (peer.resumed && peer.id !== ownId.current() && history.returned(peer.id) && saidStarted) {
        saidStarted = false;
        say(notNewLine(peer.name));
      }
      mesh.peerJoined(peer);
    },
    onPeerLeft: (left) => mesh.peerLeft(left),
    onPeerRenamed: (peer) => mesh.peerRenamed(peer),
    onSignal: (signal) => mesh.signal(signal),
    onNameTaken(error) {
      ownName.taken(error);
      return true;
    },
    onStatus(status, error) {
      if (status === 'refused' && error?.code === 'room_full') outsideTheRoom();
      pageStatus.signalingChanged(status, error);
    },
  };
}
