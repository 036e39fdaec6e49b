// The page's composition root, and its table of contents: room link → signaling → mesh
// (member objects, links) → router → features → view. Each part is made by a module of its
// own, most in wiring/, and takes what it needs of the others as an options object. Views
// take their elements and listeners as they are made, and are made in the order the page has
// always made them; what a part needs of parts made after it is passed as functions (`later`,
// or one per method) that reach those parts only when called, after this module has run. The
// socket started before this module was evaluated (boot.ts, joining.ts): joining is what the
// page waits on longest. Its events are attached at the end, once everything they reach exists.
import { createConversation } from './conversation.ts';
import { createIce } from './ice.ts';
import { createIgnored } from './ignored.ts';
import { joined } from './joined.ts';
import { createLink } from './link.ts';
import { createMesh } from './mesh.ts';
import { startPathPolls } from './path-polls.ts';
import { createRouter } from './router.ts';
import { callMemory, draftStore, ignoredStore, saveTabName } from './storage.ts';
import { mark } from './timeline.ts';
import { createHandshake } from './verify.ts';
import { showBeforeJoin } from './wiring/before-join.ts';
import { wireCalls } from './wiring/calls.ts';
import { wireChat } from './wiring/chat.ts';
import { wireChatSignals } from './wiring/chat-signals.ts';
import { exposeDebugHandle } from './wiring/debug-handle.ts';
import { createDeferred } from './wiring/deferred.ts';
import { wireFiles } from './wiring/files.ts';
import { wireHistory } from './wiring/history.ts';
import { wireLineViews } from './wiring/line-views.ts';
import { wireMemberList } from './wiring/member-list.ts';
import { wireMessageBox } from './wiring/message-box.ts';
import { wireNames } from './wiring/names.ts';
import { wireNotices } from './wiring/notices.ts';
import { createOwnId } from './wiring/own-id.ts';
import { createOwnName } from './wiring/own-name.ts';
import { watchPageLife } from './wiring/page-life.ts';
import { wirePrivateTarget } from './wiring/private-target.ts';
import { wireRelay } from './wiring/relay.ts';
import { roomEvents } from './wiring/room-events.ts';
import { wireRoomName } from './wiring/room-name.ts';
import { wireShowLine } from './wiring/show-line.ts';
import { wireStatus } from './wiring/status.ts';

mark('main');
// Joining started in the entry script, before this module was even evaluated (boot.ts).
const { link, signaling, identity, announcement, ...joining } = joined();
const { roomId } = link;
/** Our id in the room: the server's to give, once joined (wiring/own-id.ts). */
const ownId = createOwnId(roomId);
/** Our own name: the server's word once joined (wiring/own-name.ts). */
const ownName = createOwnName({
  initial: joining.name,
  initialRefused: joining.nameRefused,
  inRoom: () => ownId.current() !== null && signaling !== null,
  ask: (wanted) => signaling?.rename(wanted).catch(() => null) ?? Promise.resolve(null),
  page: {
    setName: (next, replace) => page.setName(next, replace),
    nameHint: (message, problem) => page.nameHint(message, problem),
    offerName: (message, variant) => page.offerName(message, variant),
  },
  others: () => mesh.members().map((member) => member.name),
  nameKeys: (name) => names.nameKeys(name),
  keepForTab: (name) => saveTabName(roomId, name),
  say: (text) => say(text),
  renamed() {
    names.selfRenamed();
    renderCall(); // our own tile's caption
  },
});
const selfName = ownName.current;

/** The members this page ignores, kept for the tab: the features and views ask it (ignored.ts). */
const ignored = createIgnored(ignoredStore(roomId));

/** The page status and our own outages: offline said, members kept listed, missed lines asked for. */
const pageStatus = wireStatus({
  page: {
    setStatus: (status, detail) => page.setStatus(status, detail),
    setOutside: (outside) => page.setOutside(outside),
  },
  listed: () => mesh.members(),
  redraw() {
    memberList.redrawNow();
    // The call's tiles and status word a member we do not hear by whose silence it is too.
    if (callWiring.drawn()) renderCall();
  },
  back: () => receipts.back(),
  catchUp: (since) => history.catchUp(since),
});
const { outage, silenceNotices, silence, watchOutage } = pageStatus;

/** The page view, and what its message box sends: lines, edits, replies (wiring/message-box.ts). */
/** The room's draft, kept for the tab's next load (view/draft.ts). */
const roomDraft = draftStore(roomId);
const { page, startEdit, startReply, sendLine } = wireMessageBox({
  ownName,
  signaling,
  outage,
  draft: roomDraft,
  later: () => ({ mesh, names, privateTarget, chat, edits, typing, receipts, lineEdits }),
});
/** The member list, drawn a few times a second at most (wiring/member-list.ts). */
const memberList = wireMemberList({ silence, page, ignored, later: () => ({ mesh, names, deferred }) });
const { members } = memberList;
/** Names as shown: members the server gave one name told apart by their key codes, and said once. */
const names = wireNames({
  selfId: () => ownId.current(),
  selfName,
  mesh: { member: (peerId) => mesh.member(peerId), members: () => mesh.members(), all: () => mesh.all() },
  author: (peerId) => history.author(peerId),
  members,
  identity,
  redraw: () => memberList.redraw(),
  say: (text) => say(text),
  keptLines: () => lines.kept(),
  markedEarlier: (from, id) => replies.earlier(from, id),
  privateBar: { current: () => privateTarget.current(), renamed: (peerId) => privateTarget.renamed(peerId) },
  renamed(peerId, name) {
    replies.renamed(peerId);
    page.replyRenamed(peerId, name);
    privateLines.renamed(peerId, name);
    signals.receiptsView.renamed(peerId);
    reactions.renamed(peerId, name);
    files.renamed(peerId);
  },
});
/** What waits until the join is done with: line times, look-alike names, stale files. */
const deferred = createDeferred();
/** The chat's lines as shown, with replies' quotes, our lines' edits and history's order (wiring/line-views.ts). */
const views = wireLineViews({
  ownId,
  selfName,
  nameOf: names.nameOf,
  nameNow: names.nameNow,
  startEdit,
  startReply,
  ignored,
  later: () => ({ edits, chat, history, attention, roomName }),
});
const { lines, replies, lineEdits, say } = views;
/** The member chosen for private messages, and the bar that says so (wiring/private-target.ts). */
const privateTarget = wirePrivateTarget({
  members,
  names,
  page,
  say,
  ignored,
  roomDraft,
  later: () => ({ mesh, typing }),
});

const ice = createIce({
  relayOnly: link.relayOnly,
  async refresh() {
    const ack = await signaling?.refreshIce().catch(() => null);
    return ack?.ok ? ack : null;
  },
  updated: () => mesh.reconfigure(ice.rtcConfig()),
});

/** Whether people are talking now; file transfers step back while they do. */
const conversation = createConversation(ignored.has);

/** The chat's lines and their edits, and the private lines kept for a reload (wiring/chat.ts). */
const chatWiring = wireChat({
  roomId,
  ownId,
  selfName,
  identity,
  names,
  views,
  page,
  later: () => ({ mesh, showLine, receipts, attention }),
});
const { privateLines, chat, edits } = chatWiring;
/** Typing, receipts, reactions and the reader's attention (wiring/chat-signals.ts). */
const signals = wireChatSignals({
  roomId,
  ownId,
  selfName,
  identity,
  names,
  privateTarget,
  conversation,
  memberList,
  lines,
  ignored,
  editTarget: () => page.editTarget(),
  later: () => ({ mesh, history }),
});
const { typing, receipts, reactions, attention } = signals;
/** The room's name: in the header and the title, set by any member, signed (wiring/room-name.ts). */
const roomName = wireRoomName({
  roomId,
  ownId,
  selfName,
  identity,
  names,
  ignored,
  attention,
  say,
  later: () => ({ mesh }),
});
/** A line for the page, with what goes around it: marks, reactions, receipts, attention (wiring/show-line.ts). */
const showLine = wireShowLine({
  names,
  conversation,
  views,
  chat: chatWiring,
  signals,
  ignored,
  later: () => ({ mesh }),
});
// What already shows of a member we start or stop ignoring: its entry, its typing. (Its lines
// and the private target follow on their own: line-views.ts, private-target.ts.)
ignored.changed(() => {
  memberList.redrawNow();
  typing.ignoredChanged();
});

/** Files, and the lines of those this tab received or sent before a reload (wiring/files.ts). */
const { files, showEarlier } = wireFiles({
  roomId,
  ownId,
  selfName,
  views,
  composer: page,
  privateTarget,
  signals,
  say,
  note: (text) => page.composerNote(text),
  conversation,
  ignored,
  names,
  later: () => ({ mesh }),
});
/** The call: the feature and its view, drawn on the next frame from the members as they are then. */
const callWiring = wireCalls({
  selfId: ownId.orEmpty,
  selfName,
  all: () => mesh.all(),
  listed: () => mesh.members(),
  pc: (peerId) => mesh.member(peerId)?.pc,
  members,
  silence,
  memory: callMemory(roomId),
  ignored,
});
const { calls, renderCall, callQuality } = callWiring;

/** Earlier lines for a newcomer, and whose answer is on its way (wiring/history.ts). */
const history = wireHistory({
  ownId,
  selfName,
  identity,
  names,
  chat: chatWiring,
  signals,
  views,
  showLine,
  ignored,
  later: () => ({ mesh }),
});
showEarlier();

/** Relaying through members, with the user's settings (wiring/relay.ts). */
const { relay, bindSettings } = wireRelay({ ownId, announcement, say, later: () => ({ mesh, router }) });
const router = createRouter([
  chat.feature,
  edits.feature,
  history.feature,
  typing.feature,
  receipts.feature,
  reactions.feature,
  files.feature,
  calls.feature,
  relay.feature,
  roomName.feature,
]);

const mesh = createMesh({
  links: {
    createLink,
    rtcConfig: () => ice.rtcConfig(),
    beforeRestart: () => ice.refreshIfExpiring(),
    unreachableReason: (lastIceError) => ice.unreachableReason(lastIceError),
  },
  handshake: {
    ...createHandshake(link.key, identity),
    checkKeys: (keys) => announcement.check(keys),
    vouchedEcdh: (keys) => announcement.vouchedEcdh(keys),
  },
  router,
  sendSignal: (to, body) => signaling?.send({ to, ...body }),
  changed(now) {
    privateTarget.membersChanged();
    if (now) memberList.redrawNow();
    else memberList.redraw();
    // Members change the call area only while a call runs, and once more as it ends.
    if (callWiring.drawn() || calls.running()) renderCall();
    relay.refresh();
    watchOutage();
    history.recheck();
  },
  notice: wireNotices({
    say,
    silenceNotices,
    privateTarget,
    names,
    member: (peerId) => mesh.member(peerId),
  }),
});

showBeforeJoin({ link, page, names, selfName, say });
// The room's name as this tab last held it, before any member says it (a reload).
roomName.restore();

const pathPolls = startPathPolls({
  read: () => mesh.refreshPaths(),
  hidden: () => document.visibilityState === 'hidden',
});
document.addEventListener('visibilitychange', () => pathPolls.visibilityChanged());
bindSettings();
callWiring.start();
deferred.sweepLater();

// Everything the server's events reach exists now: hear them (and what came already).
const events = roomEvents({
  roomId,
  ownId,
  ownName,
  mesh,
  ice,
  calls,
  names,
  page,
  history,
  views,
  chat: chatWiring,
  pageStatus,
});
signaling?.attach(events, selfName);
mark('ready');
deferred.afterReady((skeleton) => {
  names.useSkeleton(skeleton);
  memberList.redraw();
});
watchPageLife({ receipts, privateLines, files, mesh, signaling, calls, pathPolls, ice, relay, watchOutage });

// Debug and test handle (stable: the e2e tests and benchmarks use it).
exposeDebugHandle({
  selfId: () => ownId.current(),
  mesh,
  chat,
  history,
  reactions,
  edits,
  receipts,
  attention,
  files,
  relay,
  lines,
  sendLine,
  callQuality,
});
