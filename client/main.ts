// Wires the page together: room link → signaling → mesh (member objects, links) → router →
// features → view. The socket started before this module was evaluated (boot.ts,
// joining.ts): joining is what the page waits on longest. Its events are attached at the
// end, once everything they reach exists.
import { normalizeName, type PeerInfo } from '../protocol/index.ts';
import { MEDIA_PROBLEM_TEXT } from './calls/media-errors.ts';
import { describeQuality, incomingVideoQuality, type MediaQuality } from './calls/stats.ts';
import { loadSkeleton } from './confusables.ts';
import { createConversation } from './conversation.ts';
import { createDepartures } from './departures.ts';
import { createCalls } from './features/calls.ts';
import { createCatchUpDecision } from './features/catch-up.ts';
import { type ChatLine, createChat } from './features/chat.ts';
import { createEdits } from './features/edits.ts';
import { createFiles } from './features/files.ts';
import { createHistory } from './features/history.ts';
import { createReactions } from './features/reactions.ts';
import { createReceipts, type Receipt } from './features/receipts.ts';
import { createTranscript } from './features/transcript.ts';
import { createTyping } from './features/typing.ts';
import { sweepStaleFiles } from './files/sink.ts';
import { keyCode } from './fingerprint.ts';
import { createIce } from './ice.ts';
import { whenIdle } from './idle.ts';
import { isolate } from './isolate.ts';
import { joined } from './joined.ts';
import { createKeyDoubt } from './key-doubt.ts';
import { createLink, linkCounters } from './link.ts';
import type { MemberView } from './member.ts';
import { WHILE_OFFLINE } from './member-problems.ts';
import { createMesh, type MeshNotice } from './mesh.ts';
import { freeNameVariant } from './name-variant.ts';
import { createOutageWatch, createSilenceNotices, PROBE_TIMEOUT_MS } from './outage.ts';
import { selectedPath } from './path.ts';
import { startPathPolls } from './path-polls.ts';
import { createPrivateTarget } from './private-target.ts';
import { createRelay, RELAY_RATE, refusalText } from './relay.ts';
import { createRouter } from './router.ts';
import type { SignalingHandlers, SignalingStatus } from './signaling.ts';
import {
  loadDevice,
  loadRelayEnabled,
  loadRelayRate,
  RELAY_RATE_RANGE,
  saveDevice,
  saveName,
  saveRelayEnabled,
  saveRelayRate,
  saveResume,
} from './storage.ts';
import { mark } from './timeline.ts';
import { createTwins, meetingText, tagText } from './twins.ts';
import { createHandshake } from './verify.ts';
import { createAttention } from './view/attention.ts';
import { createCallsView, silenceOf } from './view/calls.ts';
import { createCalmLane } from './view/calm.ts';
import { createFilesView } from './view/files.ts';
import { perFrame } from './view/frame.ts';
import { createHistoryView } from './view/history.ts';
import { createLineEdits } from './view/line-edits.ts';
import { markLine } from './view/line-marks.ts';
import { clock, createLinesView } from './view/lines.ts';
import { createMembersView, type ListedMember } from './view/members.ts';
import { mentionsYou } from './view/mentions.ts';
import { createPageView } from './view/page.ts';
import { createPrivateView } from './view/private.ts';
import { createReactionsView } from './view/reactions.ts';
import { createReadWatch, createReceiptsView } from './view/receipts.ts';
import { createReplies } from './view/replies.ts';
import type { ReplyTarget } from './view/reply-compose.ts';
import { tagLine, tagLines } from './view/twin-tag.ts';
import { createTypingView } from './view/typing.ts';

/** Received files a closed tab left behind are swept this long after the page starts. */
const SWEEP_AFTER_MS = 30_000;
/**
 * Line times (view/clock.ts) are written once the page has its links: when none is being
 * made any more and at least one is up, on the next idle moment (or this long after, at the
 * latest). Written earlier, their ~100 ms of locale and time-zone data held up the page's
 * first offer or answer (a timeline of a room of two: an offer sent 150–200 ms after the
 * peer:joined that asked for it). Idle moments come within milliseconds on a page that is
 * not saturated; one that is (a room of 8 forming on two cores) had its clock warmed by the
 * timeout mid-join: ~150 ms of its main thread at 2 s, ~300 ms each at 10 s, when the room
 * took 15–17 s to form (CPU profiles of the mesh bench, 8 pages). At 30 s the timeout
 * no longer fires mid-join; such a page may still warm in one of its short idle moments
 * (an A/B found no difference in mesh_ms either way). The timeout only bounds how late
 * lines get their times.
 */
const WARM_CLOCK_WITHIN_MS = 30_000;
/**
 * A page whose links never settle (alone in a room, a stuck link) starts waiting for its idle
 * moment this long after it started.
 */
const WARM_CLOCK_AFTER_MS = 5_000;

mark('main');
// Joining started in the entry script, before this module was even evaluated (boot.ts).
const { link, signaling, identity, announcement, ...joining } = joined();
let name = joining.name;
let selfId: string | null = null;
/** A name chosen while the join was in flight: applied by a rename once joined. */
let pendingName: string | null = null;

/** What the server tells us about the room; attached below, once everything here exists. */
const signalingHandlers: SignalingHandlers = {
  onJoined(ack, rejoin) {
    selfId = ack.self.id;
    name = ack.self.name;
    saveResume(link.roomId, ack.resume);
    mesh.setSelf(ack.self.id);
    ice.set(ack);
    calls.setMaxVideoSenders(ack.maxVideoSenders);
    showSelf();
    page.setName(name);
    if (!rejoin) {
      system(joinedLine(ack.peers));
      // Those here before us may hold lines we have not seen: ask them.
      history.joined(ack.peers.map((peer) => peer.id));
    }
    // Back on signaling, the sync repairs the links that are down; those it just made or
    // replaced are left to negotiate (a restart would make both sides offer).
    mesh.sync(ack.peers, rejoin);
    if (rejoin) cameBack();
    if (pendingName !== null) {
      const wanted = pendingName;
      pendingName = null;
      void rename(wanted);
    }
  },
  onPeerJoined: (peer) => mesh.peerJoined(peer),
  onPeerLeft: (left) => mesh.peerLeft(left),
  onPeerRenamed: (peer) => mesh.peerRenamed(peer),
  onSignal: (signal) => mesh.signal(signal),
  onNameTaken(error) {
    const taken = name;
    name = error.suggestion ?? freeNameVariant(taken, [taken]);
    // Not remembered: the variant is for this room while the name is taken (by this
    // browser's other tab, say); the next room, or this one once it is free, gets the
    // name the user chose.
    page.setName(name);
    const told = `“${isolate(taken)}” is taken in this room, so you are “${isolate(name)}”. Change it any time.`;
    page.nameHint(told);
    // Also in the chat: on a phone the name form is behind the People toggle.
    system(told);
    return true;
  },
  onStatus(status, error) {
    signalingStatus = status;
    statusDetail = status === 'rejected' && error ? `Could not join: ${error.message}` : undefined;
    if (status === 'reconnecting') catchUp.wentAway();
    watchOutage();
    showStatus();
  },
};

/** The socket's state, and its words when they are not the usual ones (a refusal's reason). */
let signalingStatus: SignalingStatus = 'connecting';
let statusDetail: string | undefined;
/** The page status: that we seem offline, before anything the socket says. */
function showStatus(): void {
  if (outage.offline()) page.setStatus('offline');
  else page.setStatus(signalingStatus, statusDetail);
}

/** Our own outage (outage.ts): said in the page status, members kept listed, lines queued. */
const outage = createOutageWatch({
  // Any answer from the server will do: it is our path to it that is in question.
  probe: () =>
    fetch('/healthz', { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
      () => true,
      () => false,
    ),
  changed(offline) {
    showStatus();
    calm.cancel(renderMembers);
    renderMembers.now();
    // The call's tiles and status word a member we do not hear by our outage too.
    if (callDrawn) renderCall();
    if (offline) {
      catchUp.wentAway();
      return;
    }
    receipts.back();
    cameBack();
  },
});
const silenceNotices = createSilenceNotices(outage);
// A check of the server settled: the call's tiles say whose silence it was (view/calls.ts).
outage.afterCheck(() => {
  if (callDrawn) renderCall();
});
function watchOutage(): void {
  outage.update({
    browserOnline: navigator.onLine,
    socketUp: signalingStatus === 'joined',
    members: mesh.members().map((m) => ({ id: m.id, heard: m.state === 'connected' || m.state === 'relayed' })),
  });
}

/** Back from an outage of ours: the lines missed meanwhile are asked for (catch-up.ts). */
const catchUp = createCatchUpDecision();
function cameBack(): void {
  const plan = catchUp.cameBack();
  if (plan)
    setTimeout(() => {
      const since = catchUp.run();
      if (since !== null) history.catchUp(since);
    }, plan.afterMs);
}

async function rename(raw: string): Promise<void> {
  const result = normalizeName(raw);
  if (!result.ok) {
    page.nameHint(`That name does not work: ${result.reason}.`, true);
    return;
  }
  if (result.name === name) return;
  if (selfId === null || !signaling) {
    // Not in the room yet: the join carries it, or a rename right after the join does.
    name = result.name;
    pendingName = name;
    saveName(name);
    page.nameHint(null);
    return;
  }
  const ack = await signaling.rename(result.name).catch(() => null);
  if (!ack?.ok) {
    const error = ack?.error;
    // The box shows the name we have, not the one refused (the hint says which that was).
    page.setName(name, true);
    if (error?.code === 'name_taken') {
      const known = [name, ...mesh.members().map((member) => member.name)];
      page.offerName(
        `Someone here is already “${isolate(result.name)}”; you are still “${isolate(name)}”.`,
        error.suggestion ?? freeNameVariant(result.name, known),
      );
      return;
    }
    page.nameHint(
      `Could not rename to “${isolate(result.name)}”: ${error?.message ?? 'the server did not answer'}. You are still “${isolate(name)}”.`,
      true,
    );
    return;
  }
  name = ack.name;
  saveName(name);
  page.nameHint(null);
  page.setName(name);
  showSelf();
  renderCall(); // our own tile's caption
  system(`You are now ${isolate(name)}`);
}

const page = createPageView({
  rename: (raw) => void rename(raw),
  send(text, reply) {
    const destination = privateTarget.destination();
    if (destination === 'gone') return false;
    const to = destination.to?.id;
    // A reply to a private line goes to its other party alone (startReply chose it, and
    // choosing anyone else cancelled the reply): never its excerpt to anyone else.
    const re = reply !== null && (reply.privateWith === null || reply.privateWith === to) ? reply.re : undefined;
    return sendLine(text, to, re) !== null;
  },
  // Members who share a name are offered each with its tag, which the mention then carries.
  mentionable: () => mesh.members().map((member) => taggedName(member.id, member.name)),
  saveEdit(id, text) {
    void edits.edit(id, text);
    return true;
  },
  // ↑ edits our latest line where we are writing: the room, or the private conversation open.
  lastOwnLine: () => edits.lastOwn(privateTarget.current()),
});

/** Our line goes to the message box to be edited (its Edit button, or E on it in the list). */
function startEdit(id: string): void {
  const text = edits.ownText(id);
  if (text !== null) page.edit({ id, text });
}

/** Starts a reply: to a private line, privately to its other party. */
function startReply(target: ReplyTarget): void {
  if (target.privateWith !== null && privateTarget.current() !== target.privateWith) {
    privateTarget.choose(target.privateWith);
  }
  page.reply(target);
}

/** Sends a line to the room, or privately to one member; its id, or null if it cannot go. */
function sendLine(text: string, to?: string, re?: ReplyTarget['re']): string | null {
  const line = chat.send(text, to, re);
  typing.stop();
  // The chat queued it for exactly these members: they are its recipients.
  if (line) receipts.sent(line.id, line.sentTo, to !== undefined, outage.offline());
  return line?.id ?? null;
}
const members = createMembersView();
/** The member list and our lines' receipts are drawn together, a few times a second at most. */
const calm = createCalmLane();
/** Redraws the member list on the next frame, from the mesh as it is then (asked through `calm`). */
const renderMembers = perFrame(() => {
  const list = mesh.members();
  checkTwins();
  // While we seem offline, everyone we cannot hear stays listed, as out of our reach.
  members.render((outage.offline() ? list.map(whileOffline) : list).map(listed));
  keyDoubt.check(list);
  warmClockOnceSettled(list);
});
/** Members the server gave one name (twins.ts): told apart by their key codes, and said once. */
const twins = createTwins();
/** Our public signing key, once made (for our own key code). */
let ownKey: string | null = null;
void identity.publicKey().then((key) => {
  ownKey = key;
  calm(renderMembers);
});
/** A key's code (fingerprint.ts), or null for no key yet. */
const codeOf = (key: string | null): string | null => (key === null ? null : keyCode(key));
/** The twins' tags as last drawn in the lines, our entry and the private bar (twins.version). */
let twinsDrawn = 0;
function checkTwins(): void {
  const people = [...mesh.all()].map(({ id, name, key }) => ({ id, name, key }));
  if (selfId !== null) people.unshift({ id: selfId, name, key: ownKey });
  for (const meeting of twins.update(people, selfId)) system(meetingText(meeting));
  if (twins.version === twinsDrawn) return;
  twinsDrawn = twins.version;
  showSelf();
  tagLines(document.getElementById('messages') as HTMLElement, othersTag);
  // The private bar says the chosen member's name again, with its tag.
  const chosen = privateTarget.current();
  if (chosen !== null) privateTarget.renamed(chosen);
}
/** A member's tag, where another member has its name; never on our own lines ("You"). */
const othersTag = (peerId: string): string | null => (peerId === selfId ? null : twins.tag(peerId));
/** A member's name as text, with its tag where another member has that name. */
function taggedName(peerId: string, name: string): string {
  const tag = twins.tag(peerId);
  return tag === null ? name : `${name} ${tagText(tag)}`;
}
function listed(member: MemberView): ListedMember {
  const key = mesh.member(member.id)?.key ?? null;
  return { ...member, code: codeOf(key), twin: twins.tag(member.id) };
}
function showSelf(): void {
  members.setSelf(selfId, name, {
    code: codeOf(ownKey),
    twin: selfId === null ? null : twins.tag(selfId),
  });
}
function whileOffline(member: MemberView): MemberView {
  if (member.state === 'connected' || member.state === 'relayed') return member;
  return { ...member, visible: true, state: 'unreachable', via: null, path: null, reason: WHILE_OFFLINE };
}
let clockWarming = false;
function warmClock(): void {
  mark('clock-warm');
  clock.warm();
}
function warmClockOnceSettled(list: readonly MemberView[]): void {
  if (clockWarming || list.length === 0 || list.some((member) => member.state === 'connecting')) return;
  clockWarming = true;
  whenIdle(warmClock, WARM_CLOCK_WITHIN_MS);
}
// What a reader scrolled up missed (mentions, attention.ts) is seen once back at the newest line.
const lines = createLinesView({ caughtUp: () => attention.caughtUp() });
const replies = createReplies(document.getElementById('messages') as HTMLElement, {
  start: startReply,
  reveal: lines.reveal,
});
const lineEdits = createLineEdits(document.getElementById('messages') as HTMLElement, {
  edit: startEdit,
  remove: async (id) => {
    // Deleted first (signed), then never sent again to a member still without it (chat.ts).
    if (await edits.delete(id)) chat.withdraw(id);
  },
  whenDropped: lines.whenDropped,
});
// A history line that goes for good is forgotten by the feature too (its shownAs).
const historyView = createHistoryView({
  whenDropped: lines.whenDropped,
  dropped: (from, id) => history.forget(from, id),
});
const privateTarget = createPrivateTarget({
  member: (peerId) => mesh.member(peerId),
  shown(target) {
    members.setSelected(target?.id ?? null);
    privateView.show(target && { ...target, name: taggedName(target.id, target.name) });
    // A reply to a private line is for its other party alone.
    const reply = page.replyTarget();
    if (reply && reply.privateWith !== null && reply.privateWith !== target?.id) page.cancelReply();
    // Those told we type and no longer written to hear we stopped, now.
    typing.audienceChanged();
  },
  say: (text) => system(text),
});
/** A reload's "left" and "joined" come out as one "is back" (departures.ts). */
const departures = createDepartures(system);
// Shown by the message box while no one here could confirm the room key in our link (key-doubt.ts).
const keyDoubt = createKeyDoubt((text) => page.keyNote(text));
const privateView = createPrivateView({ choose: (peerId) => privateTarget.choose(peerId) });

const ice = createIce({
  relayOnly: link.relayOnly,
  async refresh() {
    const ack = await signaling?.refreshIce().catch(() => null);
    return ack?.ok ? ack : null;
  },
  updated: () => mesh.reconfigure(ice.rtcConfig()),
});

const nameOf = (peerId: string): string => mesh.member(peerId)?.name ?? 'Someone';
const memberNames = (): string[] => mesh.members().map((member) => member.name);

/** Whether people are talking now; file transfers step back while they do. */
const conversation = createConversation();

/** A line for the page, with what goes around it: marks, reactions, receipts, attention. */
function showLine(line: ChatLine, senderName: string): HTMLLIElement {
  const mention = line.kind === 'chat' && !line.own && mentionsYou(line.text, name, memberNames(), codeOf(ownKey));
  // History lines are placed by the history view; every other line goes after the newest.
  // A twin is heard with its tag, as it is seen (twins.ts).
  const spoken = taggedName(line.from, senderName);
  const item = line.history ? lines.build(line, senderName) : lines.append(line, senderName, mention, spoken);
  if (!line.history) conversation.spoke();
  const tag = othersTag(line.from);
  if (tag !== null) tagLine(item, tag);
  markLine(item, line, (peerId) => taggedName(peerId, nameOf(peerId)), mention);
  if (line.kind !== 'chat') return item;
  const privateWith = line.privateTo ?? line.privateFrom ?? null;
  if (line.re) item.prepend(replies.quote(line.re, { by: senderName, privateWith }));
  // The bar first: shown() may apply reactions that came with the line (history) at once.
  reactionsView.attach(item, line.from, line.id);
  // A private line's reactions are only for its other party (our recipient, or its author).
  reactions.shown(line.from, line.id, privateWith);
  const checked = line.history === undefined || line.history.verified === 'true';
  const text = line.deleted === undefined ? line.text : '';
  replies.shown(item, { from: line.from, id: line.id, name: senderName, text, privateWith, checked });
  // Ours gets its Edit and Delete (after Reply, in its row); edits of it are taken from now on.
  lineEdits.shown(item, line);
  edits.seen(line);
  if (line.deleted !== undefined) replies.revised(line.from, line.id, null);
  if (line.history) return item;
  if (line.own) {
    receiptsView.own(item, line.id);
    return item;
  }
  typing.lineFrom(mesh.member(line.from));
  readWatch.watch(item, () => receipts.read(line.from, line.id));
  // A line that goes for good unseen (past the lines kept, a tab in the background) is not
  // watched for ever: the watch would keep its element and all it holds.
  lines.whenDropped(item, () => readWatch.unwatch(item));
  attention.incoming(line.from, spoken, line.text, mention);
  return item;
}

const transcript = createTranscript();

const chat = createChat({
  selfId: () => selfId ?? '',
  selfName: () => name,
  members: () => mesh.all(),
  display: (line) => void showLine(line, line.own ? name : nameOf(line.from)),
  identity,
  transcript,
  delivered: (lineId, member) => receipts.delivered(lineId, member),
});
const edits = createEdits({
  selfId: () => selfId ?? '',
  members: () => mesh.all(),
  identity,
  transcript,
  revised(from, id, revision) {
    // Marked as its new text mentions us; not notified or counted again (an edit is not news).
    const mention =
      revision.text !== null && from !== selfId && mentionsYou(revision.text, name, memberNames(), codeOf(ownKey));
    lineEdits.revised(from, id, revision, mention);
    replies.revised(from, id, revision.text);
  },
});
const typing = createTyping({
  members: () => mesh.all(),
  // Writing privately: only that member hears we type.
  audience: () => privateTarget.current(),
  changed(list) {
    if (list.length > 0) conversation.spoke();
    typingView.show(list.map((member) => member.name));
    members.setDoing(
      'typing',
      list.map((member) => member.id),
    );
  },
});
const typingView = createTypingView({
  keystroke() {
    conversation.spoke();
    typing.keystroke();
  },
  emptied: () => typing.stop(),
});
const receipts = createReceipts({
  member: (id) => mesh.member(id),
  changed: (lineId, receipt) => receiptsView.update(lineId, receipt),
});
const receiptsView = createReceiptsView(calm, {
  nameOf: (peerId) => mesh.member(peerId)?.name ?? 'someone who left',
  whenDropped: lines.whenDropped,
});
const readWatch = createReadWatch();
const reactions = createReactions({
  selfId: () => selfId ?? '',
  selfName: () => name,
  members: () => mesh.all(),
  identity,
  known: (peerId) => history.author(peerId),
  changed: (author, id, summary) => reactionsView.update(author, id, summary),
});
const reactionsView = createReactionsView((author, id, emoji) => reactions.toggle(author, id, emoji), {
  whenDropped: lines.whenDropped,
});
const attention = createAttention(() => lines.following());

const filesView = createFilesView(lines, {
  // To the member chosen for private messages, if there is one; else to the room.
  send(picked) {
    const destination = privateTarget.destination();
    if (destination !== 'gone') void files.sendFiles(picked, destination.to);
  },
});
const callsView = createCallsView({
  join: (video) => void calls.join(video),
  mute: () => calls.toggleMute(),
  camera: () => void calls.toggleCamera(),
  screen: (alongside) => void calls.toggleScreen(alongside),
  leave: () => calls.leave(),
  device: (kind, deviceId) => void calls.switchDevice(kind, deviceId),
  quality: async (peerId) => describeQuality(await callQuality(peerId)),
});
const calls = createCalls({
  selfId: () => selfId ?? '',
  members: () => mesh.all(),
  changed: () => renderCall(),
  notify: (text) => callsView.message(text),
  deviceMemory: { load: loadDevice, save: saveDevice },
});

/** Redraws the call (tiles, controls) on the next frame, with whatever has changed by then. */
const renderCall = perFrame(drawCall);
/** The call area last drew a running call (members in it, or us). */
let callDrawn = false;

function drawCall(): void {
  callDrawn = calls.running();
  const list = mesh.members();
  const paths = new Map(list.map((m) => [m.id, m.path?.relayed ?? false]));
  const participants = calls.participants();
  members.setDoing(
    'call',
    participants.map((p) => p.id),
  );
  callsView.render({
    supported: calls.supported(),
    busy: calls.busy(),
    self: calls.self(),
    cameraOn: calls.cameraOn(),
    cameraOpening: calls.cameraOpening(),
    selfName: name,
    preview: calls.preview(),
    screenPreview: calls.screenPreview(),
    participants,
    devices: calls.devices(),
    relayed: (peerId) => paths.get(peerId) ?? false,
    silence: silenceOf(outage, silenceNotices),
    throughOthers: list.flatMap((m) => (m.visible && m.via ? [{ name: m.name, via: m.via.name }] : [])),
  });
}

async function callQuality(peerId: string): Promise<MediaQuality | null> {
  const pc = mesh.member(peerId)?.pc;
  return pc ? incomingVideoQuality(pc) : null;
}

const files = createFiles({
  selfId: () => selfId ?? '',
  selfName: () => name,
  members: () => mesh.all(),
  showLine: filesView.showLine,
  acceptLimit: filesView.acceptLimit,
  notice: (member, text) => system(text, member.id),
  // A member shown typing is talking for as long as it is shown (its starts refresh it).
  talking: () => conversation.talking() || typing.anyoneTyping(),
});

const history = createHistory({
  selfId: () => selfId ?? '',
  selfName: () => name,
  ownKey: () => identity.publicKey(),
  members: () => mesh.all(),
  transcript,
  show: (line, authorName) => historyView.place(line, showLine(line, line.own ? name : authorName)),
  showMissed: (line) => void showLine(line, line.own ? name : nameOf(line.from)),
  revised: (line) => edits.fromHistory(line),
  reactions,
});

let relayEnabled = loadRelayEnabled();
/** Messages a second we pass on per pair (the setting, or the default). */
let relayRate = loadRelayRate() ?? RELAY_RATE;
const relay = createRelay({
  selfId: () => selfId ?? '',
  members: () => mesh.objects(),
  member: (id) => mesh.object(id),
  enabled: () => relayEnabled,
  rate: relayRate,
  announcement,
  // Charged already, to its author's budget through that relay (relay.ts): never its own.
  deliver: (from, message) => router.dispatch(from, message, 'relayed'),
  drained: (member) => router.drained(member),
  refused: (from, via, why) => system(refusalText(isolate(from.name), isolate(via.name), why), from.id),
});
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
]);

const mesh = createMesh({
  links: {
    createLink,
    rtcConfig: () => ice.rtcConfig(),
    beforeRestart: () => ice.refreshIfExpiring(),
    unreachableReason: (lastIceError) => ice.unreachableReason(lastIceError),
  },
  handshake: { ...createHandshake(link.key, identity), checkKeys: (keys) => announcement.check(keys) },
  router,
  sendSignal: (to, body) => signaling?.send({ to, ...body }),
  changed(now) {
    privateTarget.membersChanged();
    if (now) {
      calm.cancel(renderMembers);
      renderMembers.now();
    } else {
      calm(renderMembers);
    }
    // Members change the call area only while a call runs, and once more as it ends.
    if (callDrawn || calls.running()) renderCall();
    relay.refresh();
    watchOutage();
    history.recheck();
  },
  notice: (notice) => {
    if (notice.kind === 'left') privateTarget.left(notice.id, notice.name);
    else if (notice.kind === 'renamed') privateTarget.renamed(notice.id);
    const text = noticeText(notice);
    if (!text) return;
    // Silent and back again may be our own outage's doing, not the member's (outage.ts).
    // The call's tiles and status hold the word as long (view/calls.ts, silenceOf).
    if (notice.kind === 'silent') {
      silenceNotices.silent(notice.id, () => {
        system(text, notice.id);
        if (callDrawn) renderCall();
      });
    } else if (notice.kind === 'back') silenceNotices.back(notice.id, () => system(text, notice.id));
    else if (notice.kind === 'left') {
      silenceNotices.gone(notice.id);
      departures.left(notice.id, text);
    } else if (notice.kind !== 'joined' || !departures.returned(notice.id, `${isolate(notice.name)} is back`)) {
      system(text, notice.id);
    }
  },
});

function system(text: string, about = ''): void {
  lines.append(
    {
      kind: 'system',
      id: crypto.randomUUID?.() ?? String(Math.random()),
      from: about,
      ts: Date.now(),
      text,
      own: false,
    },
    '',
  );
}

function noticeText(notice: MeshNotice): string | null {
  switch (notice.kind) {
    case 'joined':
      return `${isolate(notice.name)} joined`;
    case 'left':
      return `${isolate(notice.name)} left`;
    case 'silent':
      return `${isolate(notice.name)} is not responding`;
    case 'back':
      return `${isolate(notice.name)} is back`;
    case 'renamed':
      return `${isolate(notice.previous)} is now ${isolate(notice.name)}`;
    case 'intercepted':
      return null; // shown on the member's entry, where a peer cannot fake it
  }
}

function joinedLine(peers: readonly PeerInfo[]): string {
  const others = peers.filter((p) => p.id !== selfId);
  if (others.length === 0) return 'You started this room. Share the link to invite people.';
  return `You joined as ${isolate(name)}. Here: ${others.map((p) => isolate(p.name)).join(', ')}.`;
}

page.setShareLink(link.shareUrl);
page.setName(name);
showSelf();
if (link.invalidRoomId !== null) {
  page.fatal('This link’s room id is malformed. Check the link, or start a new room.');
} else {
  page.setStatus('connecting');
  const notice = roomKeyNotice(link.key !== null, globalThis.crypto?.subtle !== undefined);
  if (notice) system(notice);
}

/** What this page cannot do about the room key, in plain words (nothing when all is well). */
function roomKeyNotice(hasKey: boolean, canCrypto: boolean): string | null {
  if (!hasKey) {
    return 'You opened this room without its key (the part of the link after “#k=”). Others can’t tell you from an eavesdropper, so they send you no messages: ask for the full link.';
  }
  if (!canCrypto) {
    return 'This page is on a plain http address, so it can’t prove it holds the room key or check that others do: nothing here stops someone in the middle. Open the room over https (or with --tunnel) for that protection.';
  }
  return null;
}
const pathPolls = startPathPolls({
  read: () => mesh.refreshPaths(),
  hidden: () => document.visibilityState === 'hidden',
});
document.addEventListener('visibilitychange', () => pathPolls.visibilityChanged());
const relayToggle = document.querySelector<HTMLInputElement>('[data-testid="relay-toggle"]');
if (relayToggle) {
  relayToggle.checked = relayEnabled;
  relayToggle.addEventListener('change', () => {
    relayEnabled = relayToggle.checked;
    saveRelayEnabled(relayEnabled);
    relay.refresh();
  });
}
const relayRateInput = document.querySelector<HTMLInputElement>('[data-testid="relay-rate"]');
if (relayRateInput) {
  relayRateInput.value = String(relayRate);
  relayRateInput.addEventListener('change', () => {
    const wanted = Math.round(relayRateInput.valueAsNumber);
    // Out of range or empty: refused, the value that holds stays.
    if (Number.isFinite(wanted) && wanted >= RELAY_RATE_RANGE.min && wanted <= RELAY_RATE_RANGE.max) {
      relayRate = wanted;
      saveRelayRate(relayRate);
      relay.setRate(relayRate);
    }
    relayRateInput.value = String(relayRate);
  });
}
renderCall();
if (!calls.supported()) callsView.message(MEDIA_PROBLEM_TEXT.insecure);
// Housekeeping, long after the join: opening the origin's file system costs the browser
// process work that the join's first seconds need.
setTimeout(() => void sweepStaleFiles().catch(() => {}), SWEEP_AFTER_MS);

// Everything the server's events reach exists now: hear them (and what came already).
signaling?.attach(signalingHandlers, () => name);
mark('ready');
setTimeout(() => whenIdle(warmClock, WARM_CLOCK_WITHIN_MS), WARM_CLOCK_AFTER_MS);
// Look-alike names (twins.ts) once the join is done with: the table is fetched, and its
// pattern compiled (~10 ms) at an idle moment.
setTimeout(
  () =>
    void loadSkeleton().then((skeleton) => {
      if (skeleton)
        whenIdle(() => {
          skeleton('warm');
          twins.useSkeleton(skeleton);
          calm(renderMembers);
        }, WARM_CLOCK_WITHIN_MS);
    }),
  WARM_CLOCK_AFTER_MS,
);
window.addEventListener('pagehide', () => {
  for (const member of mesh.all()) member.send({ t: 'bye' });
  signaling?.close();
  calls.leave();
  pathPolls.stop();
  ice.stop();
  relay.stop();
  mesh.closeAll('ERR_PAGE_CLOSED');
});
window.addEventListener('pageshow', (event) => {
  // Restored from the back/forward cache with every link closed: start afresh.
  if (event.persisted) window.location.reload();
});
window.addEventListener('online', () => {
  mesh.retryAll();
  watchOutage();
});
window.addEventListener('offline', watchOutage);

// Debug and test handle (stable: the e2e tests and benchmarks use it).
declare global {
  interface Window {
    roomlink: {
      selfId(): string | null;
      closeAll(): void;
      selectedPair(peerId: string): Promise<{ local: string; remote: string } | null>;
      pending(peerId: string): number;
      links(): Array<Record<string, string | boolean>>;
      counters(): { created: number; iceRestarts: number; stalls: number; longestStallMs: number };
      /** Sends a private line to one member; its id, or null when it cannot be sent. */
      sendPrivate(peerId: string, text: string): string | null;
      /** History for late joiners: what was asked, received and how it was checked. */
      history(): ReturnType<typeof history.counts>;
      /** Reactions: states dropped for a bad signature, and taken on a relaying member's word. */
      reactions(): ReturnType<typeof reactions.counts>;
      /** Edits and deletions: taken, and dropped by reason (features/edits.ts). */
      edits(): ReturnType<typeof edits.counts>;
      receipt(lineId: string): Receipt | null;
      notified(): { count: number; last: { title: string; body: string } | null };
      /** Sends files to the room, or to one member (by peer id); resolves to the transfer ids. */
      sendFiles(files: File[], to?: string): Promise<string[]>;
      callStats(peerId: string): Promise<MediaQuality | null>;
      /** One line per transceiver of the link to this member: mid, kind, directions, tracks. */
      transceivers(peerId: string): string[];
      /** Relaying through members: what went through relays, and what was refused. */
      relay(): ReturnType<typeof relay.stats>;
      /** Chat lines kept: on the page, and off it above (view/scrollback.ts). */
      lines(): ReturnType<typeof lines.counts>;
    };
  }
}
window.roomlink = {
  selfId: () => selfId,
  closeAll: () => mesh.closeAll('ERR_PAGE_CLOSED'),
  async selectedPair(peerId) {
    const pc = mesh.member(peerId)?.pc;
    const path = pc ? selectedPath(await pc.getStats()) : null;
    return path ? { local: path.local, remote: path.remote } : null;
  },
  pending: (peerId) => chat.pending(mesh.member(peerId)),
  counters: () => ({ ...linkCounters }),
  sendPrivate: (peerId, text) => sendLine(text, peerId),
  history: () => history.counts(),
  reactions: () => reactions.counts(),
  edits: () => edits.counts(),
  receipt: (lineId) => receipts.receipt(lineId),
  notified: () => attention.notified(),
  sendFiles(picked, to) {
    const member = to === undefined ? null : mesh.member(to);
    if (member === undefined) return Promise.reject(new Error(`no member ${to}`));
    return files.sendFiles(picked, member);
  },
  callStats: callQuality,
  relay: () => relay.stats(),
  lines: () => lines.counts(),
  transceivers: (peerId) =>
    (mesh.member(peerId)?.pc.getTransceivers() ?? []).map(
      (t) =>
        `${t.mid} ${t.receiver.track.kind} ${t.direction}/${t.currentDirection} send=${t.sender.track?.readyState ?? 'none'} recv=${t.receiver.track.muted ? 'muted' : 'flowing'} device=${t.sender.track?.getSettings().deviceId ?? 'none'}`,
    ),
  links: () =>
    mesh.members().map((m) => {
      const pc = mesh.member(m.id)?.pc;
      return {
        id: m.id,
        name: m.name,
        state: m.state,
        signaling: pc?.signalingState ?? '',
        connection: pc?.connectionState ?? '',
        ice: pc?.iceConnectionState ?? '',
        gathering: pc?.iceGatheringState ?? '',
        remote: Boolean(pc?.currentRemoteDescription),
      };
    }),
};
