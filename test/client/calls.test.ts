// The calls feature on its own, against stand-in members and connections: call state is
// parsed strictly and bounded per member, a member arriving learns the state at once,
// tracks are sent only between members who are both in the call, joining again reuses the
// transceivers, links get their media m-lines once a call is on in the room (so only the
// call's start renegotiates), and a member adding dozens of tracks gets no more than the
// bound shown.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { mediaProblem, otherDeviceText } from '../../client/calls/media-errors.ts';
import { acceptMedia, createSenders, prepareMedia, sendTrack, stopSending } from '../../client/calls/senders.ts';
import { createWindowCounter } from '../../client/calls/state-rate.ts';
import { SAME_MOMENT_MS } from '../../client/calls/video-order.ts';
import type { MemberHandle, SlotKey } from '../../client/feature.ts';
import { createCalls, type DeviceMemory } from '../../client/features/calls.ts';
import { MAX_REMOTE_TRACKS } from '../../client/features/calls-remote-tracks.ts';
import {
  type CallState,
  CHANNEL_PROTOCOL_VERSION,
  type ChannelMessage,
  callPicture,
  normalizeCallState,
  parseChannelMessage,
} from '../../protocol/index.ts';

// --- stand-ins for what exists only in a browser -------------------------------------------

class FakeTrack {
  enabled = true;
  stopped = false;
  /** Clones made of it (what sendable-picture.ts reads a frame from), to check they are stopped. */
  readonly clones: FakeTrack[] = [];
  constructor(
    readonly kind: 'audio' | 'video',
    readonly id = `${kind}-${Math.random().toString(36).slice(2)}`,
    readonly deviceId = kind === 'audio' ? 'mic-0' : 'cam-0',
  ) {}
  getSettings() {
    return { deviceId: this.deviceId };
  }
  get readyState() {
    return this.stopped ? 'ended' : 'live';
  }
  clone() {
    const copy = new FakeTrack(this.kind, undefined, this.deviceId);
    this.clones.push(copy);
    return copy;
  }
  stop() {
    this.stopped = true;
  }
  private readonly ended: Array<() => void> = [];
  addEventListener(type: string, listener: () => void) {
    if (type === 'ended') this.ended.push(listener);
  }
  /** The browser ends it (unplugged, permission withdrawn): 'ended' fires, unlike on stop(). */
  unplug() {
    this.stopped = true;
    for (const listener of this.ended) listener();
  }
}

/**
 * Chromium's MediaStreamTrackProcessor and WebCodecs' VideoEncoder, for sendable-picture.ts:
 * the first frame of a camera in `infrared` has no format (16-bit grey), and the encoder
 * refuses it; one in `onGpu` has no format either (its pixels on the GPU), and the encoder
 * takes it; any other's is I420.
 */
function fakeFrameReading(infrared: ReadonlySet<string>, onGpu: ReadonlySet<string> = new Set()): () => void {
  interface FakeFrame {
    format: string | null;
    codedWidth: number;
    codedHeight: number;
    grey: boolean;
    close(): void;
  }
  class Processor {
    readonly readable;
    constructor({ track }: { track: FakeTrack }) {
      const grey = infrared.has(track.deviceId);
      const frame: FakeFrame = {
        format: grey || onGpu.has(track.deviceId) ? null : 'I420',
        codedWidth: 640,
        codedHeight: 480,
        grey,
        close() {},
      };
      this.readable = {
        getReader: () => ({ read: async () => ({ done: false, value: frame }), cancel: async () => {} }),
      };
    }
  }
  class Encoder {
    state = 'unconfigured';
    private refused = false;
    constructor(private readonly init: { output(): void; error(error: unknown): void }) {}
    configure() {
      this.state = 'configured';
    }
    encode(frame: FakeFrame) {
      if (frame.grey) {
        this.refused = true;
        this.init.error(new Error('Encoding error.'));
      } else this.init.output();
    }
    async flush() {
      if (this.refused) throw new Error('closed');
    }
    close() {
      this.state = 'closed';
    }
  }
  Object.defineProperty(globalThis, 'MediaStreamTrackProcessor', { value: Processor, configurable: true });
  Object.defineProperty(globalThis, 'VideoEncoder', { value: Encoder, configurable: true });
  return () => {
    delete (globalThis as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor;
    delete (globalThis as { VideoEncoder?: unknown }).VideoEncoder;
  };
}

class FakeStream {
  private readonly tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks = [...tracks];
  }
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  getTrackById(id: string) {
    return this.tracks.find((t) => t.id === id) ?? null;
  }
  removeTrack(track: FakeTrack) {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
}
Object.assign(globalThis, { MediaStream: FakeStream });

interface FakeTransceiver {
  direction: RTCRtpTransceiverDirection;
  currentDirection: RTCRtpTransceiverDirection | null;
  sender: { track: FakeTrack | null; replaceTrack(t: FakeTrack | null): Promise<void>; setStreams(): void };
  receiver: { track: FakeTrack };
}

/** replaceTrack calls on their way, over every fake connection. */
let replacing = 0;
/** Until no replaceTrack is on its way (each resolves a task later; a send makes them in turn). */
async function settled(): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    quiet = replacing === 0 ? quiet + 1 : 0;
  }
}

/** An RTCPeerConnection as far as senders.ts uses it; counts negotiationneeded causes. */
function fakePc() {
  const transceivers: FakeTransceiver[] = [];
  const make = (kind: 'audio' | 'video', direction: RTCRtpTransceiverDirection): FakeTransceiver => {
    let current = direction;
    const transceiver: FakeTransceiver = {
      get direction() {
        return current;
      },
      set direction(next) {
        if (next !== current) pc.directionChanges++;
        current = next;
      },
      currentDirection: null,
      sender: {
        track: null,
        // As a browser does it: sender.track changes when the promise resolves, a task later
        // (webrtc-pc replaceTrack), so a stop run beside a send still on its way sees the old.
        replaceTrack(t) {
          replacing++;
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              transceiver.sender.track = t;
              replacing--;
              resolve();
            }, 1),
          );
        },
        setStreams() {},
      },
      receiver: { track: new FakeTrack(kind) },
    };
    transceivers.push(transceiver);
    return transceiver;
  };
  const pc = {
    signalingState: 'stable' as RTCSignalingState,
    remoteDescription: null,
    /** Direction changes: each would fire negotiationneeded in a browser. */
    directionChanges: 0,
    addTransceiver(kind: 'audio' | 'video', init: { direction: RTCRtpTransceiverDirection }) {
      return make(kind, init.direction);
    },
    getTransceivers: () => transceivers,
    getReceivers: () => transceivers.map((t) => t.receiver),
    addTrack(track: FakeTrack) {
      const transceiver = make(track.kind, 'sendrecv');
      transceiver.sender.track = track;
      return transceiver.sender;
    },
    removeTrack(sender: FakeTransceiver['sender']) {
      const transceiver = transceivers.find((t) => t.sender === sender);
      if (!transceiver) return;
      sender.track = null;
      transceiver.direction = transceiver.direction === 'sendrecv' ? 'recvonly' : 'inactive';
    },
    /** The other side sent us an offer with a track of this kind. */
    remoteAdds: (kind: 'audio' | 'video') => make(kind, 'recvonly'),
  };
  return pc;
}

interface FakeMember extends Omit<MemberHandle, 'open'> {
  /** Writable here: a test closes a member's channel. */
  open: boolean;
  wire: ChannelMessage[];
  fakePc: ReturnType<typeof fakePc>;
}

/** Peer ids sort after ours ('me-…' < 'peer-…'): we make the first offer on every link. */
const SELF_ID = 'me-000000000';

function fakeMember(id: string): FakeMember {
  const slots = new Map<SlotKey<unknown>, unknown>();
  const pc = fakePc();
  const member: FakeMember = {
    id,
    name: id,
    state: 'connected',
    verification: 'verified',
    key: null,
    keyHeld: false,
    version: null,
    cameAfterUs: false,
    disposed: false,
    shut: false,
    open: true,
    relayed: false,
    heardThrough: null,
    writable: true,
    wire: [],
    fakePc: pc,
    send(message) {
      member.wire.push(message);
      return true;
    },
    slot<T>(key: SlotKey<T>): T {
      if (!slots.has(key)) slots.set(key, key.init());
      return slots.get(key) as T;
    },
    pc: pc as unknown as RTCPeerConnection,
  };
  return member;
}

type FakeConstraint = boolean | { deviceId?: { exact: string } } | undefined;
const askedDevice = (c: FakeConstraint) => (typeof c === 'object' ? c.deviceId?.exact : undefined);
/** A camera asked for by an id no fake device has, as the browser refuses it (an unplugged camera). */
const GONE_CAMERA = 'cam-unplugged';
/** The same for a microphone. */
const GONE_MIC = 'mic-unplugged';

/** The devicechange listeners on the fake navigator.mediaDevices (see fakeDevices). */
const deviceListeners = new Set<() => void>();

/** navigator.mediaDevices with fake cameras and microphones (or a refusal). */
function fakeDevices(refuse: string | null = null, refuseScreen: string | null = null) {
  const opened: FakeStream[] = [];
  deviceListeners.clear();
  const devices = {
    addEventListener(type: string, listener: () => void) {
      if (type === 'devicechange') deviceListeners.add(listener);
    },
    removeEventListener(type: string, listener: () => void) {
      if (type === 'devicechange') deviceListeners.delete(listener);
    },
    async getUserMedia(constraints: { audio?: FakeConstraint; video?: FakeConstraint }) {
      if (refuse) throw Object.assign(new Error(refuse), { name: refuse });
      if (askedDevice(constraints.video) === GONE_CAMERA || askedDevice(constraints.audio) === GONE_MIC) {
        throw Object.assign(new Error('no such device'), { name: 'OverconstrainedError' });
      }
      const stream = new FakeStream([
        ...(constraints.audio ? [new FakeTrack('audio', undefined, askedDevice(constraints.audio))] : []),
        ...(constraints.video ? [new FakeTrack('video', undefined, askedDevice(constraints.video))] : []),
      ]);
      opened.push(stream);
      return stream;
    },
    async getDisplayMedia() {
      if (refuseScreen) throw Object.assign(new Error(refuseScreen), { name: refuseScreen });
      return new FakeStream([new FakeTrack('video', undefined, 'screen')]);
    },
    async enumerateDevices() {
      const device = (kind: string, deviceId: string, label: string) => ({ kind, deviceId, label });
      return [
        device('audioinput', 'mic-0', 'Built-in microphone'),
        device('audioinput', 'mic-1', ''),
        device('videoinput', 'cam-0', 'Front camera'),
        device('videoinput', 'cam-1', 'Back camera'),
        device('audiooutput', 'out-0', 'Speakers'),
      ];
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices: devices }, configurable: true });
  return opened;
}

/** The calls feature for these members, with what a test sets (a clock, the video bound, notes). */
function callsWith(
  members: FakeMember[],
  options: Partial<Pick<Parameters<typeof createCalls>[0], 'now' | 'wallNow' | 'maxVideoSenders' | 'notify'>> = {},
) {
  return createCalls({
    selfId: () => SELF_ID,
    members: () => members,
    changed: () => {},
    notify: () => {},
    ...options,
  });
}

function harness(count = 2, deviceMemory?: DeviceMemory) {
  const peers = Array.from({ length: count }, (_, i) => fakeMember(`peer-${i}-000000`));
  const notes: (string | null)[] = [];
  const calls = createCalls({
    selfId: () => SELF_ID,
    members: () => peers,
    changed: () => {},
    notify: (text) => notes.push(text),
    ...(deviceMemory ? { deviceMemory } : {}),
  });
  for (const peer of peers) calls.feature.added?.(peer);
  return { calls, peers, notes };
}

const stateOf = (inCall: boolean, more: Partial<CallState> = {}): ChannelMessage => ({
  t: 'call:state',
  inCall,
  audio: inCall,
  video: inCall,
  screen: false,
  ...more,
});
/** The last call state sent to the member, as the tests before videoSince compare it (that one is tested apart). */
const lastState = (member: FakeMember) => {
  const last = member.wire.filter((m) => m.t === 'call:state').at(-1);
  if (last?.t !== 'call:state') return last;
  const { videoSince: _since, ...state } = last;
  return state;
};
const sending = (member: FakeMember) =>
  member.fakePc
    .getTransceivers()
    .filter((t) => t.sender.track !== null && t.direction === 'sendrecv')
    .map((t) => t.sender.track?.kind)
    .sort();

// --- protocol --------------------------------------------------------------------------------

test('call:state parses only the exact shape with four booleans (and an optional screenAlongside and videoSince)', () => {
  const good = { t: 'call:state', inCall: true, audio: false, video: true, screen: false };
  assert.deepEqual(parseChannelMessage(JSON.stringify(good)), good);
  const alongside = { ...good, screen: true, screenAlongside: true };
  assert.deepEqual(parseChannelMessage(JSON.stringify(alongside)), alongside);
  const since = { ...good, videoSince: 1_700_000_000_000 };
  assert.deepEqual(parseChannelMessage(JSON.stringify(since)), since);
  for (const bad of [
    { ...good, videoSince: -1 },
    { ...good, videoSince: '1700000000000' },
    { ...good, videoSince: 1e300 },
    { ...good, screenAlongside: 'yes' },
    { ...good, inCall: 'yes' },
    { ...good, extra: 1 },
    { t: 'call:state', inCall: true, audio: true, video: true },
    { ...good, screen: null },
  ]) {
    assert.equal(parseChannelMessage(JSON.stringify(bad)), null, JSON.stringify(bad));
  }
});

test('out of the call nothing counts as on, and a screen alongside needs a screen', () => {
  assert.deepEqual(normalizeCallState({ inCall: false, audio: true, video: true, screen: true }), {
    inCall: false,
    audio: false,
    video: false,
    screen: false,
  });
  const inCall = { inCall: true, audio: true, video: true };
  assert.deepEqual(normalizeCallState({ ...inCall, screen: false, screenAlongside: true }), {
    ...inCall,
    screen: false,
  });
  assert.deepEqual(normalizeCallState({ ...inCall, screen: true, screenAlongside: true }), {
    ...inCall,
    screen: true,
    screenAlongside: true,
  });
});

test("a member's camera tile shows its camera, a screen in its place, or nothing: camera off also while a screen next to the camera has a tile of its own", () => {
  const inCall = { inCall: true, audio: true };
  assert.equal(callPicture({ ...inCall, video: true, screen: false }), 'camera');
  assert.equal(callPicture({ ...inCall, video: false, screen: false }), 'none');
  assert.equal(callPicture({ ...inCall, video: false, screen: true }), 'screen');
  assert.equal(callPicture({ ...inCall, video: true, screen: true, screenAlongside: true }), 'camera');
  assert.equal(callPicture({ ...inCall, video: false, screen: true, screenAlongside: true }), 'none');
  assert.equal(callPicture({ inCall: false, audio: false, video: true, screen: false }), 'none');
});

test('media errors map to plain problems by their DOMException name', () => {
  assert.equal(mediaProblem({ name: 'NotAllowedError' }), 'denied');
  assert.equal(mediaProblem({ name: 'NotFoundError' }), 'no-device');
  assert.equal(mediaProblem({ name: 'NotReadableError' }), 'in-use');
  assert.equal(mediaProblem(new Error('odd')), 'failed');
  assert.equal(mediaProblem(null), 'failed');
});

test('the window counter refuses beyond its limit until the window passes', () => {
  let now = 0;
  const counter = createWindowCounter(3, 1000, () => now);
  assert.deepEqual(
    [1, 2, 3, 4].map(() => counter.take()),
    [true, true, true, false],
  );
  assert.equal(counter.untilNextWindow(), 1000);
  now = 1000;
  assert.equal(counter.take(), true);
});

// --- senders ---------------------------------------------------------------------------------

const asPc = (pc: ReturnType<typeof fakePc>) => pc as unknown as RTCPeerConnection;
const stream = () => new FakeStream() as unknown as MediaStream;
const track = (kind: 'audio' | 'video') => new FakeTrack(kind) as unknown as MediaStreamTrack;

test('on a prepared link, joining, hanging up and joining again never renegotiates', async () => {
  const pc = fakePc();
  prepareMedia(asPc(pc));
  prepareMedia(asPc(pc)); // once only (the channel reopens after a repair)
  const senders = createSenders(asPc(pc));
  for (let round = 0; round < 3; round++) {
    await sendTrack(senders, track('audio'), stream());
    await sendTrack(senders, track('video'), stream());
    assert.deepEqual(
      pc.getTransceivers().map((t) => [t.direction, t.sender.track?.kind]),
      [
        ['sendrecv', 'audio'],
        ['sendrecv', 'video'],
      ],
    );
    await stopSending(senders);
    assert.deepEqual(
      pc.getTransceivers().map((t) => t.sender.track),
      [null, null],
    );
  }
  assert.equal(pc.getTransceivers().length, 2);
  assert.equal(pc.directionChanges, 0);
});

test('the answering side turns the first transceiver of each kind to sendrecv, and no more', () => {
  const pc = fakePc();
  const audio = pc.remoteAdds('audio');
  const video = pc.remoteAdds('video');
  const extra = pc.remoteAdds('video');
  for (const t of [audio, video, extra]) acceptMedia(asPc(pc), t as unknown as RTCRtpTransceiver);
  assert.deepEqual(
    [audio, video, extra].map((t) => t.direction),
    ['sendrecv', 'sendrecv', 'recvonly'],
  );
});

test('a link without prepared media falls back to addTrack once, then reuses it', async () => {
  const pc = fakePc();
  const senders = createSenders(asPc(pc));
  for (let round = 0; round < 3; round++) {
    await sendTrack(senders, track('audio'), stream());
    await stopSending(senders);
  }
  assert.equal(pc.getTransceivers().length, 1);
});

test("a track is sent on the transceiver the other side's offer made", async () => {
  const pc = fakePc();
  const offered = pc.remoteAdds('video');
  const senders = createSenders(asPc(pc));
  const camera = new FakeTrack('video');
  await sendTrack(senders, camera as unknown as MediaStreamTrack, stream());
  assert.equal(pc.getTransceivers().length, 1);
  assert.equal(offered.sender.track, camera);
  assert.equal(offered.direction, 'sendrecv');
});

test('a screen next to the camera gets a sender of its own, added once and reused; the camera stays', async () => {
  const pc = fakePc();
  prepareMedia(asPc(pc));
  const senders = createSenders(asPc(pc));
  const camera = track('video');
  await sendTrack(senders, track('audio'), stream());
  await sendTrack(senders, camera, stream());
  for (let round = 0; round < 2; round++) {
    const screen = track('video');
    await sendTrack(senders, screen, stream(), 'screen');
    assert.deepEqual(
      pc.getTransceivers().map((t) => t.sender.track),
      [pc.getTransceivers()[0]?.sender.track, camera, screen],
    );
    await stopSending(senders, 'screen');
    assert.equal(pc.getTransceivers()[1]?.sender.track, camera, 'the camera goes on');
    assert.equal(pc.getTransceivers()[2]?.sender.track, null);
    // The camera, sent again, never takes the screen's transceiver (nor the screen the camera's).
    await sendTrack(senders, camera, stream());
  }
  assert.equal(pc.getTransceivers().length, 3, 'one transceiver added for the screen, then reused');
});

// --- the feature -----------------------------------------------------------------------------

test('a member whose channel opens learns our call state at once, once we have been in a call', async () => {
  fakeDevices();
  const { calls, peers } = harness(1);
  const [peer] = peers as [FakeMember];
  calls.feature.opened?.(peer);
  assert.equal(lastState(peer), undefined, 'never in a call: the member takes us for out of it');
  await calls.join(true);
  assert.deepEqual(lastState(peer), stateOf(true));
  calls.toggleMute();
  assert.deepEqual(lastState(peer), stateOf(true, { audio: false }));
  peer.wire.length = 0;
  calls.feature.opened?.(peer);
  assert.deepEqual(lastState(peer), stateOf(true, { audio: false }));
  // Left while the member's link was down: it learns so when the link opens again.
  peer.wire.length = 0;
  calls.leave();
  calls.feature.opened?.(peer);
  assert.deepEqual(lastState(peer), stateOf(false));
});

test('links get media m-lines only once a call is on, from their first offerer, once each', async () => {
  fakeDevices();
  const first = fakeMember('peer-0-000000'); // we offer first on this link (smaller id)
  const second = fakeMember('peer-1-000000');
  const answering = fakeMember('aa-000000000'); // it offers first: we never add to its link
  const closed = fakeMember('peer-2-000000');
  closed.open = false;
  const peers = [first, second, answering, closed];
  const calls = callsWith(peers);
  for (const peer of peers) calls.feature.added?.(peer);
  const lines = () => peers.map((p) => p.fakePc.getTransceivers().length);

  // A room that only chats: channels open, nothing about media is negotiated.
  for (const peer of [first, second, answering]) calls.feature.opened?.(peer);
  assert.deepEqual(lines(), [0, 0, 0, 0]);

  // A member joins the call: every open link we offered first gets its two m-lines.
  calls.feature.receive(second, stateOf(true) as never);
  assert.deepEqual(lines(), [2, 2, 0, 0]);
  // The closed link gets them when its channel opens, since the call is on.
  closed.open = true;
  calls.feature.opened?.(closed);
  assert.deepEqual(lines(), [2, 2, 0, 2]);
  // Reopened channels, more state, our own join: never a second pair.
  calls.feature.opened?.(first);
  calls.feature.receive(first, stateOf(true) as never);
  await calls.join(false);
  await settled();
  assert.deepEqual(lines().slice(0, 2), [2, 2]);
  assert.deepEqual(lines()[3], 2);
});

test('our own join starts the call: our links get m-lines before our tracks go, and take them', async () => {
  fakeDevices();
  const { calls, peers } = harness(1);
  const [peer] = peers as [FakeMember];
  calls.feature.opened?.(peer);
  assert.equal(peer.fakePc.getTransceivers().length, 0);
  calls.feature.receive(peer, stateOf(false) as never);
  assert.equal(peer.fakePc.getTransceivers().length, 0, 'a member outside the call starts nothing');
  await calls.join(true);
  assert.equal(peer.fakePc.getTransceivers().length, 2);
  calls.feature.receive(peer, stateOf(true) as never);
  await settled();
  assert.deepEqual(sending(peer), ['audio', 'video']);
  assert.equal(peer.fakePc.getTransceivers().length, 2, 'the prepared m-lines carry the tracks');
});

test("on a link it does not offer first, our join waits for the other side's m-lines and adds none of its own", async () => {
  fakeDevices();
  // Its id sorts before ours: it made the link's first offer, so the m-lines are its to add.
  const peer = fakeMember('aa-000000000');
  const calls = callsWith([peer]);
  calls.feature.added?.(peer);
  calls.feature.opened?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  await calls.join(true);
  await settled();
  assert.equal(peer.fakePc.getTransceivers().length, 0, 'no addTrack to collide with its m-lines');

  // Its offer arrives with one audio and one video m-line: a track event for each, in one task.
  const offered = (['audio', 'video'] as const).map((kind) => peer.fakePc.remoteAdds(kind));
  for (const transceiver of offered) {
    calls.feature.track?.(peer, { track: transceiver.receiver.track, transceiver } as unknown as RTCTrackEvent);
  }
  await settled();
  assert.deepEqual(sending(peer), ['audio', 'video']);
  assert.equal(peer.fakePc.getTransceivers().length, 2, 'our tracks ride on its m-lines');
  assert.deepEqual(
    offered.map((t) => t.direction),
    ['sendrecv', 'sendrecv'],
  );
});

test('tracks go only to members in the call, and stop when either side leaves', async () => {
  fakeDevices();
  const { calls, peers } = harness(2);
  const [inside, outside] = peers as [FakeMember, FakeMember];
  calls.feature.receive(inside, stateOf(true) as never);
  await calls.join(true);
  await settled();
  assert.deepEqual(sending(inside), ['audio', 'video']);
  assert.deepEqual(sending(outside), []);
  assert.deepEqual(
    calls.participants().map((p) => p.id),
    [inside.id],
  );

  calls.feature.receive(outside, stateOf(true) as never);
  await settled();
  assert.deepEqual(sending(outside), ['audio', 'video']);
  calls.feature.receive(outside, stateOf(false) as never);
  await settled();
  assert.deepEqual(sending(outside), []);

  calls.leave();
  await settled();
  assert.deepEqual(sending(inside), []);
  assert.deepEqual(lastState(inside), stateOf(false));
});

test('a member in and out of the call within one exchange gets nothing from us; out and back in, everything', async () => {
  fakeDevices();
  const { calls, peers } = harness(2);
  const [quick, back] = peers as [FakeMember, FakeMember];
  calls.feature.opened?.(quick);
  calls.feature.receive(back, stateOf(true) as never);
  await calls.join(true);
  await settled();
  // In, then out a task later (a Join whose camera was refused), while our microphone is
  // still on its way to it: that send must not land after the stop.
  calls.feature.receive(quick, stateOf(true) as never);
  await new Promise((resolve) => setImmediate(resolve));
  calls.feature.receive(quick, stateOf(false) as never);
  await settled();
  assert.deepEqual(sending(quick), [], 'nothing goes to a member out of the call');
  // Out, then back in, while the stop is on its way: the tracks go again.
  calls.feature.receive(back, stateOf(false) as never);
  await new Promise((resolve) => setImmediate(resolve));
  calls.feature.receive(back, stateOf(true) as never);
  await settled();
  assert.deepEqual(sending(back), ['audio', 'video']);
});

/**
 * We and a member, both in the call; it clicks fast, and the 11th of its states (in the call)
 * is held back by the rate bound for the window's end. `meanwhile` runs once the window has
 * ended, before the held-back state's timer fires (a busy or hidden tab fires it late).
 */
async function heldBackState(meanwhile: (calls: ReturnType<typeof callsWith>, peer: FakeMember) => void) {
  fakeDevices();
  let now = 0;
  const peer = fakeMember('peer-0-000000');
  const calls = callsWith([peer], { now: () => now });
  calls.feature.added?.(peer);
  calls.feature.opened?.(peer);
  await calls.join(true);
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    for (let i = 0; i < 11; i++) calls.feature.receive(peer, stateOf(true, { audio: i % 2 === 0 }) as never);
    now = 1_000;
    meanwhile(calls, peer);
    mock.timers.tick(1_001);
  } finally {
    mock.timers.reset();
  }
  await settled();
  return { calls, peer };
}

test('a state held back by the rate bound is not applied to the link that replaced its own', async () => {
  const { calls, peer } = await heldBackState((_calls, peer) => {
    // Its page reloads meanwhile: a new connection, a page that never joined.
    const fresh = fakePc();
    Object.assign(peer, { fakePc: fresh, pc: fresh as unknown as RTCPeerConnection });
  });
  assert.deepEqual(calls.participants(), [], 'not shown in the call');
  assert.deepEqual(sending(peer), [], 'nothing sent to the page that never joined');
});

test('a refused camera shows its message and leaves us out of the call', async () => {
  fakeDevices('NotAllowedError');
  const { calls, peers, notes } = harness(1);
  await calls.join(true);
  assert.equal(calls.self().inCall, false);
  assert.match(notes.at(-1) ?? '', /not allowed/);
  // While the camera opened we were in the call, muted and without a camera; then out of it.
  const states = (peers[0] as FakeMember).wire.filter((m) => m.t === 'call:state');
  assert.deepEqual(states, [stateOf(true, { audio: false, video: false }), stateOf(false)]);
});

test('the camera blocked and the microphone allowed: Join with video joins with audio and says the camera was not allowed; Camera on then says it is not allowed, never "no longer"', async () => {
  fakeDevices();
  const devices = navigator.mediaDevices as unknown as {
    getUserMedia(c: { video?: FakeConstraint }): Promise<unknown>;
  };
  const open = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    if (constraints.video) throw Object.assign(new Error('camera blocked'), { name: 'NotAllowedError' });
    return open(constraints);
  };
  const { calls, peers, notes } = harness(1);
  const [peer] = peers as [FakeMember];
  calls.feature.opened?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  await calls.join(true);
  await settled();
  assert.deepEqual(calls.self(), { inCall: true, audio: true, video: false, screen: false }, 'in the call with audio');
  assert.deepEqual(sending(peer), ['audio']);
  assert.equal(
    notes.at(-1),
    'The browser is not allowed to use your camera, so you joined with audio only. Allow it in the site settings (the icon by the address) and press Camera on.',
  );
  await calls.toggleCamera();
  const said = notes.at(-1) ?? '';
  assert.match(said, /^Your camera stays off: the browser is not allowed to use it\./);
  assert.doesNotMatch(said, /no longer/, 'it never was allowed');
  assert.equal(calls.self().inCall, true);
  calls.leave();
});

test('a refusal names only what was asked for: Join call refused is about the microphone; Join with video refused for both, about the microphone it cannot join without', async () => {
  for (const video of [false, true]) {
    const opened = fakeDevices('NotAllowedError');
    const { calls, notes } = harness(1);
    await calls.join(video);
    assert.equal(calls.self().inCall, false, 'left out of the call: no microphone');
    assert.equal(
      notes.at(-1),
      'The browser was not allowed to use your microphone. Allow it in the site settings (the icon by the address) and try again. Chat goes on.',
    );
    assert.equal(opened.length, 0);
  }
  // Other problems of Join call are the microphone's too.
  fakeDevices('NotReadableError');
  const { calls, notes } = harness(1);
  await calls.join(false);
  assert.equal(
    notes.at(-1),
    'Your microphone is in use by another app or tab. Close it there and try again. Chat goes on.',
  );
});

test('while our camera opens we are in the call, muted and camera off, and hear and see the members in it', async () => {
  let open: (() => void) | null = null;
  const opened = fakeDevices();
  const devices = navigator.mediaDevices as unknown as { getUserMedia(c: unknown): Promise<unknown> };
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) =>
    new Promise((resolve) => {
      open = () => resolve(getUserMedia(constraints));
    });
  const { calls, peers } = harness(1);
  const peer = peers[0] as FakeMember;
  calls.feature.receive(peer, stateOf(true) as never);
  const joined = calls.join(true);
  assert.deepEqual(lastState(peer), stateOf(true, { audio: false, video: false }), 'in the call before the camera');
  assert.equal(calls.preview(), null, 'no own tile before our camera is open');
  assert.deepEqual(
    calls.participants().map((p) => p.id),
    [peer.id],
  );
  (open as (() => void) | null)?.();
  await joined;
  assert.deepEqual(lastState(peer), stateOf(true), 'then with our microphone and camera');
  assert.notEqual(calls.preview(), null);
  assert.equal(opened.length, 1);
  // Hung up while the camera opened: nothing stays open, and we stay out.
  calls.leave();
  const again = calls.join(true);
  calls.leave();
  (open as (() => void) | null)?.();
  await again;
  assert.equal(calls.self().inCall, false);
  assert.deepEqual(lastState(peer), stateOf(false));
  assert.equal(opened.length, 2);
  assert.ok(
    opened
      .at(-1)
      ?.getTracks()
      .every((t) => t.stopped),
    'the late media is closed',
  );
});

test('above the video-sender bound a joiner gets audio only and is told why', async () => {
  const opened = fakeDevices();
  const peers = Array.from({ length: 3 }, (_, i) => fakeMember(`peer-${i}-000000`));
  const notes: (string | null)[] = [];
  const calls = callsWith(peers, { notify: (t) => notes.push(t), maxVideoSenders: 2 });
  calls.feature.receive(peers[0] as FakeMember, stateOf(true) as never);
  calls.feature.receive(peers[1] as FakeMember, stateOf(true, { video: false, screen: true }) as never);
  await calls.join(true);
  assert.equal(opened[0]?.getVideoTracks().length, 0);
  assert.equal(calls.self().video, false);
  assert.match(notes.at(-1) ?? '', /audio only/);
});

test('a camera turned on again, or a screen shared, counts against the bound as a camera opened does', async () => {
  fakeDevices();
  const peers = Array.from({ length: 3 }, (_, i) => fakeMember(`peer-${i}-000000`));
  const notes: (string | null)[] = [];
  const calls = callsWith(peers, { notify: (t) => notes.push(t), maxVideoSenders: 2 });
  const [first, second] = peers as [FakeMember, FakeMember];
  calls.feature.receive(first, stateOf(true, { video: false }) as never);
  await calls.join(true); // with our camera: one of two
  await calls.toggleCamera(); // off
  assert.equal(calls.self().video, false);
  // Meanwhile two members turn their cameras on: the bound is reached without us.
  calls.feature.receive(first, stateOf(true) as never);
  calls.feature.receive(second, stateOf(true) as never);
  await calls.toggleCamera();
  assert.equal(calls.self().video, false, 'not on again past the bound');
  assert.match(notes.at(-1) ?? '', /2 cameras are already on/);
  await calls.toggleScreen();
  assert.equal(calls.self().screen, false, 'no screen past it either');
  // One of them turns theirs off: ours may go on again.
  calls.feature.receive(second, stateOf(true, { video: false }) as never);
  await calls.toggleCamera();
  assert.equal(calls.self().video, true);
});

/**
 * We and two members in a room whose cap is `cap` cameras, on clocks the test sets: `clock`
 * (monotonic, when things are heard) and `wall` (what our videoSince says). Their hellos were
 * heard, saying our version, unless `version` says otherwise.
 */
function capRoom(cap: number, version: number | null = CHANNEL_PROTOCOL_VERSION) {
  const opened = fakeDevices();
  const peers = Array.from({ length: 2 }, (_, i) => ({ ...fakeMember(`peer-${i}-000000`), version }));
  const notes: (string | null)[] = [];
  const clocks = { clock: 0, wall: 10_000 };
  const calls = callsWith(peers, {
    notify: (t) => notes.push(t),
    maxVideoSenders: cap,
    now: () => clocks.clock,
    wallNow: () => clocks.wall,
  });
  for (const peer of peers) {
    calls.feature.added?.(peer);
    calls.feature.opened?.(peer);
  }
  return { calls, peers: peers as [FakeMember, FakeMember], notes, clocks, opened };
}

const rawState = (member: FakeMember) => member.wire.filter((m) => m.t === 'call:state').at(-1);

test('cameras turned on at the same moment past the cap: ours, the latest by its claimed time, goes off and we are told why; the call goes on', async () => {
  const { calls, peers, notes, clocks } = capRoom(2);
  const [first, second] = peers;
  await calls.join(true);
  await settled();
  assert.equal(calls.self().video, true);
  assert.equal((rawState(first) as CallState).videoSince, 10_000, 'our state says since when our camera is on');
  // Their states come within the same moment: both went on before ours, by their claims.
  clocks.clock = 400;
  calls.feature.receive(first, stateOf(true, { videoSince: 9_000 }) as never);
  assert.equal(calls.self().video, true, 'one other camera: within the cap');
  calls.feature.receive(second, stateOf(true, { videoSince: 9_990 }) as never);
  await settled();
  assert.equal(calls.self().video, false, 'ours went off');
  assert.equal(calls.self().inCall, true);
  assert.equal(calls.cameraOn(), false);
  assert.deepEqual(sending(first), ['audio'], 'our microphone still goes');
  assert.deepEqual(lastState(first), stateOf(true, { video: false }));
  assert.equal((rawState(first) as CallState).videoSince, undefined);
  assert.equal(
    notes.at(-1),
    'The call has 2 cameras on at most: yours went off, as peer-1-000000 turned theirs on at the same moment. Chat and audio go on.',
  );
  calls.leave();
});

test('past the cap, ours keeps on when it went on first by the claims, or when a claim of an earlier time comes too long after ours went on', async () => {
  for (const [since, heardAfter] of [
    [10_500, 400], // went on after ours, by its claim: that member's page turns its own off
    [0, 60_000], // the dawn of time, claimed a minute after ours went on: not believed
  ] as const) {
    const { calls, peers, notes, clocks } = capRoom(2);
    const [first, second] = peers;
    await calls.join(true);
    calls.feature.receive(first, stateOf(true, { videoSince: 9_000 }) as never);
    clocks.clock = heardAfter;
    calls.feature.receive(second, stateOf(true, { videoSince: since }) as never);
    await settled();
    assert.equal(calls.self().video, true, `claim ${since} heard ${heardAfter} ms after ours`);
    assert.deepEqual(sending(first), ['audio', 'video']);
    assert.ok(!notes.some((note) => note?.includes('at most')));
    // A claim changed later is not taken either: the one that came with its camera counts.
    calls.feature.receive(second, stateOf(true, { videoSince: 1 }) as never);
    assert.equal(calls.self().video, true);
    calls.leave();
  }
});

test('Camera on at the same moment as another member past the cap: ours goes off again, by the same order', async () => {
  const { calls, peers, notes, clocks } = capRoom(2);
  const [first, second] = peers;
  await calls.join(false);
  calls.feature.receive(first, stateOf(true, { videoSince: 5_000 }) as never);
  clocks.wall = 20_000;
  await calls.toggleCamera();
  await settled();
  assert.equal(calls.self().video, true, 'one slot was free');
  clocks.clock = 300;
  calls.feature.receive(second, stateOf(true, { videoSince: 19_999 }) as never);
  await settled();
  assert.equal(calls.self().video, false);
  assert.deepEqual(sending(first), ['audio']);
  assert.match(notes.at(-1) ?? '', /^The call has 2 cameras on at most: yours went off, as peer-1-000000/);
  // A screen shared counts as a camera, and goes off as one. The member ours went off for
  // turned its own off and on again before ours went on: a slot it holds, counted as ever
  // (one ours yielded to lately is not yielded to again at our moment: video-order.ts).
  calls.feature.receive(second, stateOf(true, { video: false }) as never);
  calls.feature.receive(first, stateOf(true, { video: false }) as never);
  clocks.clock = 5_000;
  calls.feature.receive(second, stateOf(true, { videoSince: 25_000 }) as never);
  clocks.wall = 30_000;
  clocks.clock = 10_000;
  await calls.toggleScreen();
  assert.equal(calls.self().screen, true);
  clocks.clock = 10_100;
  calls.feature.receive(first, stateOf(true, { videoSince: 29_000 }) as never);
  assert.equal(calls.self().screen, false);
  assert.match(notes.at(-1) ?? '', /yours went off/);
  calls.leave();
});

test('a member that makes our camera yield and turns its own off again cannot do it again for minutes: each camera we turn on after stays on', async () => {
  const { calls, peers, notes, clocks } = capRoom(2);
  const [first, mallory] = peers;
  await calls.join(false);
  calls.feature.receive(first, stateOf(true, { videoSince: 5_000 }) as never);
  // Each time our camera goes on, Mallory turns hers on at once claiming the dawn of time,
  // and off again once ours went off.
  for (const [at, yields] of [
    [1_000, true],
    [60_000, false],
    [120_000, false],
  ] as const) {
    clocks.clock = at;
    clocks.wall = 20_000 + at;
    await calls.toggleCamera();
    await settled();
    assert.equal(calls.self().video, true, 'one slot was free');
    clocks.clock = at + 200;
    calls.feature.receive(mallory, stateOf(true, { videoSince: 1 }) as never);
    await settled();
    assert.equal(calls.self().video, !yields, `camera on at ${at}`);
    calls.feature.receive(mallory, stateOf(true, { video: false }) as never);
    if (!yields) await calls.toggleCamera(); // off, to turn it on again
  }
  assert.equal(notes.filter((note) => note?.includes('yours went off')).length, 1);
  calls.leave();
});

test('the cap reached while our camera opened: it is not sent at all, and we joined with audio', async () => {
  const { calls, peers, notes } = capRoom(1);
  const [first] = peers;
  const held = holdCameraOpens();
  const joined = calls.join(true);
  await new Promise((resolve) => setTimeout(resolve, 1));
  calls.feature.receive(first, stateOf(true, { videoSince: 9_000 }) as never);
  await held.release();
  await joined;
  await settled();
  assert.equal(calls.self().video, false);
  assert.ok(
    first.wire.every((m) => m.t !== 'call:state' || !m.video),
    'never said to be on',
  );
  assert.match(notes.at(-1) ?? '', /^1 camera is already on, so you joined with audio only/);
  calls.leave();
});

test('our videoSince goes only to members whose hello says they read it: an older page refuses a field it does not know', async () => {
  const { calls, peers } = capRoom(6);
  const [older, newer] = peers;
  (older as { version: number | null }).version = 10;
  (newer as { version: number | null }).version = CHANNEL_PROTOCOL_VERSION;
  await calls.join(true);
  assert.deepEqual(rawState(older), stateOf(true));
  assert.deepEqual(rawState(newer), { ...stateOf(true), videoSince: 10_000 });
  for (const sent of [rawState(older), rawState(newer)]) {
    assert.deepEqual(parseChannelMessage(JSON.stringify(sent)), sent);
  }
  calls.leave();
});

test('a member whose hello has not come gets no videoSince (it may be an older page); once its hello says it reads it, it gets our state again with it', async () => {
  const { calls, peers } = capRoom(6, null);
  const [silent, older] = peers;
  const withVersion = (member: FakeMember, version: number) =>
    ((member as { version: number | null }).version = version);
  await calls.join(true);
  for (const member of peers) {
    assert.deepEqual(rawState(member), stateOf(true), 'no videoSince before a hello');
    assert.deepEqual(parseChannelMessage(JSON.stringify(rawState(member))), rawState(member));
  }
  const sentBefore = older.wire.length;
  withVersion(older, 10);
  calls.feature.verified?.(older);
  assert.equal(older.wire.length, sentBefore, 'an older page is told nothing more');
  withVersion(silent, CHANNEL_PROTOCOL_VERSION);
  calls.feature.verified?.(silent);
  assert.deepEqual(rawState(silent), { ...stateOf(true), videoSince: 10_000 });
  // Told once: another hello (a new link) brings nothing more; its link opening greets it as ever.
  const told = silent.wire.length;
  calls.feature.verified?.(silent);
  assert.equal(silent.wire.length, told);
  calls.leave();
});

test('a state that could not go to a member whose hello has not come (its link not open yet) is not told again on its hello: it goes once, as the link opens', async () => {
  const { calls, peers } = capRoom(6, null);
  const [settingUp] = peers;
  const send = settingUp.send;
  settingUp.send = () => false;
  await calls.join(true);
  settingUp.send = send;
  const states = () => settingUp.wire.filter((m) => m.t === 'call:state').length;
  const before = states();
  // Its hello is checked, then its link opens (the order a link set up goes in).
  (settingUp as { version: number | null }).version = CHANNEL_PROTOCOL_VERSION;
  calls.feature.verified?.(settingUp);
  calls.feature.opened?.(settingUp);
  assert.equal(states(), before + 1, 'our state went once');
  assert.deepEqual(rawState(settingUp), { ...stateOf(true), videoSince: 10_000 });
  calls.leave();
});

test('a member whose videoSince came after its video went on (held back until our hello): its claim is taken as said then, if it came within the same moment', async () => {
  const { calls, peers, notes, clocks } = capRoom(2);
  const [first, second] = peers;
  await calls.join(true);
  calls.feature.receive(first, stateOf(true, { videoSince: 9_000 }) as never);
  clocks.clock = 400;
  calls.feature.receive(second, stateOf(true) as never);
  await settled();
  assert.equal(calls.self().video, true, 'a claim not said is in doubt: ours keeps on');
  clocks.clock = 400 + SAME_MOMENT_MS; // our hello reached it as late as still counts
  calls.feature.receive(second, stateOf(true, { videoSince: 9_990 }) as never);
  await settled();
  assert.equal(calls.self().video, false, 'it went on at our moment, before ours by its claim');
  assert.match(notes.at(-1) ?? '', /as peer-1-000000 turned theirs on at the same moment/);
  calls.leave();
});

test('a claim that comes long after the video went on without one is not taken: ours keeps on (a member cannot hold one back to push ours off when it chooses)', async () => {
  for (const late of [SAME_MOMENT_MS + 1, 30_000, 10 * 60_000]) {
    const { calls, peers, notes, clocks } = capRoom(2);
    const [bob, mallory] = peers;
    await calls.join(false);
    calls.feature.receive(bob, stateOf(true, { videoSince: 5_000 }) as never);
    clocks.wall = 20_000;
    await calls.toggleCamera();
    await settled();
    assert.equal(calls.self().video, true, 'one slot was free');
    // Mallory (her hello said she reads claims) turns hers on at our moment, saying none.
    clocks.clock = 200;
    calls.feature.receive(mallory, stateOf(true) as never);
    await settled();
    assert.equal(calls.self().video, true, 'a claim not said is in doubt: ours keeps on');
    clocks.clock = 200 + late;
    calls.feature.receive(mallory, stateOf(true, { videoSince: 1 }) as never);
    await settled();
    assert.equal(calls.self().video, true, `a claim ${late} ms late`);
    assert.ok(!notes.some((note) => note?.includes('at most')), 'nothing says ours went off');
    calls.leave();
  }
});

/** We and one member, both in the call with microphone and (unless not `video`) camera, on a prepared link. */
async function inCallWithOne(video = true, deviceMemory?: DeviceMemory) {
  const opened = fakeDevices();
  const { calls, peers, notes } = harness(1, deviceMemory);
  const [peer] = peers as [FakeMember];
  calls.feature.opened?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  await calls.join(video);
  return { calls, peer, opened, notes };
}

test('device changes are watched only in a call: out of it no listener (it would start the browser’s capture service), in it a change lists the devices again', async () => {
  fakeDevices();
  const { calls, peers } = harness(1);
  const [peer] = peers as [FakeMember];
  calls.feature.opened?.(peer);
  assert.equal(deviceListeners.size, 0, 'no listener before joining a call');
  await calls.join(false);
  assert.equal(deviceListeners.size, 1);
  const listed = calls.devices().list.length;
  assert.ok(listed > 0);
  // A device unplugged: the page lists what is left.
  const fake = navigator.mediaDevices as unknown as { enumerateDevices(): Promise<unknown[]> };
  const enumerate = fake.enumerateDevices.bind(fake);
  fake.enumerateDevices = async () => (await enumerate()).slice(1);
  for (const listener of deviceListeners) listener();
  await settled();
  assert.equal(calls.devices().list.length, listed - 1);
  calls.leave();
  assert.equal(deviceListeners.size, 0, 'none once out of the call');
});

test('a camera that will not open even once the current one is freed: the current one comes back, or the camera is off', async () => {
  for (const current of ['reopens', 'is gone too'] as const) {
    const { calls, peer } = await inCallWithOne();
    await settled();
    const sentCamera = () =>
      peer.fakePc.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender.track ?? null;
    // A phone: the other camera is busy while this one is open, and still busy after.
    const devices = navigator.mediaDevices as unknown as {
      getUserMedia(c: { video?: FakeConstraint }): Promise<unknown>;
    };
    const open = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const asked = constraints.video ? askedDevice(constraints.video) : null;
      if (asked === 'cam-1' || current === 'is gone too') {
        throw Object.assign(new Error('busy'), { name: 'NotReadableError' });
      }
      return open(constraints);
    };
    await calls.switchDevice('video', 'cam-1');
    await settled();
    const camera = sentCamera();
    if (current === 'reopens') {
      assert.equal(camera?.deviceId, 'cam-0', current);
      assert.equal(camera?.stopped, false, 'a live camera goes, not the stopped one');
      assert.equal(calls.self().video, true);
    } else {
      assert.equal(camera, null, 'nothing goes');
      assert.equal(calls.self().video, false, 'and we say the camera is off');
    }
    calls.leave();
  }
});

test('a microphone or camera picked in the list that is not there any more is said so, in words for someone in a call; the one in use goes on', async () => {
  const { calls, peer, notes } = await inCallWithOne();
  await settled();
  await calls.switchDevice('audio', GONE_MIC);
  await calls.switchDevice('video', GONE_CAMERA);
  await settled();
  assert.deepEqual(notes.slice(-2), [
    'That microphone is not there any more (unplugged?). Pick another in the Mic list.',
    'That camera is not there any more (unplugged?). Pick another in the Camera list.',
  ]);
  assert.deepEqual([sentMic(peer)?.deviceId, sentCamera(peer)?.deviceId], ['mic-0', 'cam-0']);
  assert.deepEqual([calls.self().audio, calls.self().video], [true, true]);
  calls.leave();
});

test('switching camera or microphone replaces the track on the same senders: no renegotiation, muted stays muted, the old device is stopped', async () => {
  const { calls, peer } = await inCallWithOne();
  await settled();
  const sent = (kind: 'audio' | 'video') =>
    peer.fakePc.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender.track ?? null;
  const [oldMic, oldCamera] = [sent('audio'), sent('video')];
  assert.equal(oldCamera?.deviceId, 'cam-0');
  assert.deepEqual(
    calls.devices().list.map((d) => `${d.kind} ${d.deviceId} ${d.label}`),
    [
      'audio mic-0 Built-in microphone',
      'audio mic-1 Microphone 2',
      'video cam-0 Front camera',
      'video cam-1 Back camera',
    ],
  );
  const changesBefore = peer.fakePc.directionChanges;

  calls.toggleMute();
  await calls.switchDevice('video', 'cam-1');
  await calls.switchDevice('audio', 'mic-1');
  await settled();
  assert.equal(sent('video')?.deviceId, 'cam-1');
  assert.equal(sent('audio')?.deviceId, 'mic-1');
  assert.equal(oldCamera?.stopped, true);
  assert.equal(oldMic?.stopped, true);
  assert.equal(sent('audio')?.enabled, false, 'still muted');
  assert.equal(calls.self().audio, false);
  assert.deepEqual([calls.devices().audio, calls.devices().video], ['mic-1', 'cam-1']);
  assert.equal(peer.fakePc.getTransceivers().length, 2);
  assert.equal(peer.fakePc.directionChanges, changesBefore, 'nothing to renegotiate');

  calls.leave();
  await settled();
  assert.equal(sent('video'), null);
  assert.deepEqual(calls.devices().list, [], 'no device list outside the call');
});

test('a screen shared next to the camera goes as a second video, is shown apart, and ends with the camera still on', async () => {
  const { calls, peer } = await inCallWithOne();
  await calls.toggleScreen(true);
  await settled();
  assert.deepEqual(lastState(peer), stateOf(true, { screen: true, screenAlongside: true }));
  const sentVideo = () =>
    peer.fakePc
      .getTransceivers()
      .filter((t) => t.receiver.track.kind === 'video')
      .map((t) => t.sender.track?.deviceId ?? null);
  assert.deepEqual(sentVideo(), ['cam-0', 'screen']);
  await calls.toggleScreen();
  await settled();
  assert.deepEqual(lastState(peer), stateOf(true, { screen: false }));
  assert.deepEqual(sentVideo(), ['cam-0', null]);

  // The other way round: the member's screen arrives on its second video transceiver.
  const arrive = (transceiver: FakeTransceiver) =>
    calls.feature.track?.(peer, { track: transceiver.receiver.track, transceiver } as unknown as RTCTrackEvent);
  const [, cameraIn, screenIn] = peer.fakePc.getTransceivers().filter(() => true) as FakeTransceiver[];
  if (!cameraIn || !screenIn) throw new Error('two video transceivers expected');
  arrive(cameraIn);
  arrive(screenIn);
  calls.feature.receive(peer, stateOf(true, { screen: true, screenAlongside: true }) as never);
  const shown = calls.participants()[0];
  assert.deepEqual(
    (shown?.stream as FakeStream | undefined)?.getVideoTracks().map((t) => t.id),
    [cameraIn.receiver.track.id],
    'the camera stays in the tile',
  );
  assert.deepEqual(
    (shown?.screen as FakeStream | null | undefined)?.getTracks().map((t) => t.id),
    [screenIn.receiver.track.id],
  );
  calls.feature.receive(peer, stateOf(true, { screen: false }) as never);
  assert.equal(calls.participants()[0]?.screen, null, 'no screen shown once it stops');
});

test("the server's cap from the join ack replaces the default; a nonsense one is ignored", async () => {
  const opened = fakeDevices();
  const { calls, peers } = harness(2);
  assert.equal(calls.maxVideoSenders(), 6);
  for (const bad of [0, -1, 2.5, 257, '3', null, undefined]) calls.setMaxVideoSenders(bad);
  assert.equal(calls.maxVideoSenders(), 6);
  calls.setMaxVideoSenders(1);
  assert.equal(calls.maxVideoSenders(), 1);
  // One camera on is the cap: we join with audio only.
  calls.feature.receive(peers[0] as FakeMember, stateOf(true) as never);
  await calls.join(true);
  assert.equal(opened[0]?.getVideoTracks().length, 0);
  assert.equal(calls.self().video, false);
});

test('a flood of call states is bounded, and the last one still counts', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const peer = fakeMember('peer-0-000000');
  const calls = callsWith([peer], { now: () => now });
  // The first 10 (the bound) say the camera is on; the 490 after them, refused, say off.
  for (let i = 0; i < 500; i++) calls.feature.receive(peer, stateOf(true, { video: i < 10 }) as never);
  assert.equal(calls.participants()[0]?.state.video, true, 'states beyond the bound are not applied');
  now = 1_000;
  mock.timers.tick(1_001);
  assert.equal(calls.participants()[0]?.state.video, false, 'the latest refused state is applied after the window');
  mock.timers.reset();
});

test('a member adding dozens of tracks gets no more than the bound into the tile, and nothing sent on the rest', () => {
  // It made the link's first offer (its id sorts first), so the m-lines are its to add.
  const peer = fakeMember('aa-000000000');
  const calls = callsWith([peer]);
  calls.feature.added?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  const arrive = (kind: 'audio' | 'video') => {
    const transceiver = peer.fakePc.remoteAdds(kind);
    calls.feature.track?.(peer, { track: transceiver.receiver.track, transceiver } as unknown as RTCTrackEvent);
  };
  for (let i = 0; i < 40; i++) arrive(i % 2 === 0 ? 'audio' : 'video');
  const sendingBack = peer.fakePc.getTransceivers().filter((t) => t.direction === 'sendrecv');
  assert.equal(sendingBack.length, 2, 'we send on our one audio and one video transceiver, nothing more');
  const shown = () => (calls.participants()[0]?.stream as FakeStream | undefined)?.getTracks().map((t) => t.id) ?? [];
  const seen = shown();
  assert.equal(seen.length, 2, 'one audio and one video shown');
  arrive('video');
  assert.deepEqual(shown(), seen, `tracks beyond ${MAX_REMOTE_TRACKS} are ignored`);
  // Our answer turns the rest down: left receive-only, their media would still come in, and
  // be decoded, unseen.
  const directions = peer.fakePc.getTransceivers().map((t) => t.direction);
  assert.equal(directions.filter((d) => d === 'inactive').length, 41 - MAX_REMOTE_TRACKS, 'the rest are inactive');
  assert.equal(directions.filter((d) => d === 'recvonly').length, MAX_REMOTE_TRACKS - 2, 'within the bound: received');
});

/** In a call with one member, our devices as fakeDevices() has them, the cameras in `infrared` giving frames no encoder takes. */
async function inCallWithCameras(
  t: { after(fn: () => void): void },
  infrared: ReadonlySet<string>,
  video: boolean,
  onGpu: ReadonlySet<string> = new Set(),
) {
  const opened = fakeDevices();
  t.after(fakeFrameReading(infrared, onGpu));
  const { calls, peers, notes } = harness(1);
  const [peer] = peers as [FakeMember];
  calls.feature.opened?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  await calls.join(video);
  return { calls, peer, notes, opened };
}

test('a camera whose picture cannot be sent (infrared, depth) gives way to another on joining; with no other, the call goes on with audio and says why', async (t) => {
  for (const infrared of [new Set(['cam-0']), new Set(['cam-0', 'cam-1'])]) {
    const { calls, peer, notes, opened } = await inCallWithCameras(t, infrared, true);
    await settled();
    const sent = (kind: 'audio' | 'video') =>
      peer.fakePc.getTransceivers().find((tr) => tr.receiver.track.kind === kind)?.sender.track ?? null;
    const everyTrack = opened.flatMap((stream) => stream.getTracks());
    const irTracks = everyTrack.filter((track) => infrared.has(track.deviceId));
    assert.ok(irTracks.length > 0, 'the infrared camera was opened (the default)');
    assert.ok(
      irTracks.every((track) => track.stopped),
      'an infrared camera is stopped, not left open',
    );
    assert.ok(
      everyTrack.every((track) => track.clones.every((clone) => clone.stopped)),
      'every probe is stopped',
    );
    assert.equal(sent('audio')?.deviceId, 'mic-0', 'the microphone goes either way');
    if (infrared.size === 1) {
      assert.equal(sent('video')?.deviceId, 'cam-1', 'the other camera goes');
      assert.equal(calls.self().video, true);
      assert.equal(
        notes.some((note) => note?.includes('cannot receive')),
        false,
      );
    } else {
      assert.equal(sent('video'), null, 'no camera goes');
      assert.equal(calls.self().video, false, 'and we say the camera is off');
      assert.equal(calls.self().inCall, true, 'in the call with audio');
      assert.match(notes.at(-1) ?? '', /cannot receive/);
    }
    calls.leave();
  }
});

test('switching to a camera whose picture cannot be sent is refused: the camera in use goes on, and the page says why', async (t) => {
  const { calls, peer, notes, opened } = await inCallWithCameras(t, new Set(['cam-1']), true);
  await settled();
  const sentCamera = () =>
    peer.fakePc.getTransceivers().find((tr) => tr.receiver.track.kind === 'video')?.sender.track ?? null;
  const before = sentCamera();
  assert.equal(before?.deviceId, 'cam-0');
  await calls.switchDevice('video', 'cam-1');
  await settled();
  assert.equal(sentCamera(), before, 'the same camera goes on');
  assert.equal(before?.stopped, false);
  assert.equal(calls.devices().video, 'cam-0', 'the picker shows the camera in use');
  assert.equal(calls.self().video, true);
  const refusal = notes.at(-1) ?? '';
  assert.match(refusal, /cannot receive/);
  // Said to someone whose call goes on: not the joining words.
  assert.doesNotMatch(refusal, /Chat goes on/);
  assert.match(refusal, /Pick another in the Camera list\.$/);
  const tried = opened.flatMap((stream) => stream.getTracks()).filter((track) => track.deviceId === 'cam-1');
  assert.ok(tried.length === 1 && tried[0]?.stopped, 'the refused camera is stopped');
  // A later pick that works: the refusal of the earlier one is no longer said.
  await calls.switchDevice('audio', 'mic-1');
  await settled();
  assert.equal(notes.at(-1), null, 'the refusal is gone');
  calls.leave();
});

test('a device picked mid-call that is refused, or in use elsewhere, is said so in the words of someone still in the call; one that then works clears it', async () => {
  for (const [refusal, words] of [
    ['NotAllowedError', /^The browser is not allowed to use that microphone\. .*pick another in the Mic list\.$/],
    ['NotReadableError', /^That microphone is in use by another app or tab\. .*pick another in the Mic list\.$/],
  ] as const) {
    const { calls, peer, notes } = await inCallWithOne();
    await settled();
    const devices = navigator.mediaDevices as unknown as {
      getUserMedia(c: { audio?: FakeConstraint }): Promise<unknown>;
    };
    const open = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      if (askedDevice(constraints.audio) === 'mic-1') throw Object.assign(new Error(refusal), { name: refusal });
      return open(constraints);
    };
    await calls.switchDevice('audio', 'mic-1');
    await settled();
    const said = notes.at(-1) ?? '';
    assert.match(said, words, refusal);
    assert.doesNotMatch(said, /Chat goes on|camera or microphone/);
    assert.equal(sentMic(peer)?.deviceId, 'mic-0', 'the microphone in use goes on');
    await calls.switchDevice('video', 'cam-1');
    await settled();
    assert.equal(notes.at(-1), null, 'a camera picked since that works: nothing more to say');
    calls.leave();
  }
});

test('turning the camera on after joining with audio: a camera whose picture cannot be sent gives way, or the camera stays off with a reason', async (t) => {
  for (const infrared of [new Set(['cam-0']), new Set(['cam-0', 'cam-1'])]) {
    const { calls, peer, notes } = await inCallWithCameras(t, infrared, false);
    await calls.toggleCamera();
    await settled();
    const sentCamera = peer.fakePc.getTransceivers().find((tr) => tr.receiver.track.kind === 'video')?.sender.track;
    if (infrared.size === 1) {
      assert.equal(sentCamera?.deviceId, 'cam-1');
      assert.equal(calls.self().video, true);
    } else {
      assert.equal(sentCamera ?? null, null);
      assert.equal(calls.self().video, false);
      assert.match(notes.at(-1) ?? '', /cannot receive/);
    }
    calls.leave();
  }
});

test('a camera whose frames have no format because their pixels are on the GPU is sent: the encoder takes them', async (t) => {
  const { calls, peer, notes } = await inCallWithCameras(t, new Set(), true, new Set(['cam-0']));
  await settled();
  const sentCamera = peer.fakePc.getTransceivers().find((tr) => tr.receiver.track.kind === 'video')?.sender.track;
  assert.equal(sentCamera?.deviceId, 'cam-0');
  assert.equal(calls.self().video, true);
  assert.equal(
    notes.some((note) => note?.includes('cannot receive')),
    false,
  );
  calls.leave();
});

test('a state held back by the rate bound does not overwrite a newer one applied meanwhile', async () => {
  const { calls, peer } = await heldBackState((calls, peer) => {
    // The member hangs up meanwhile: that newer state fits the new window and is applied at once.
    calls.feature.receive(peer, stateOf(false) as never);
    assert.deepEqual(calls.participants(), []);
  });
  assert.deepEqual(calls.participants(), [], 'not shown in the call again');
  assert.deepEqual(sending(peer), [], 'our microphone and camera do not go to a member who left');
});

test('a microphone or camera the browser ends (unplugged) is said to be off, and Unmute or Camera on opens one again', async () => {
  const notes: (string | null)[] = [];
  const opened = fakeDevices();
  const peer = fakeMember('peer-0-000000');
  const calls = callsWith([peer], { notify: (text) => notes.push(text) });
  calls.feature.added?.(peer);
  calls.feature.opened?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  await calls.join(true);
  await settled();
  assert.deepEqual(sending(peer), ['audio', 'video']);
  const first = opened[0] as FakeStream;
  (first.getVideoTracks()[0] as FakeTrack).unplug();
  await settled();
  assert.equal(calls.self().video, false, 'camera off, as the members are told');
  assert.equal(lastState(peer)?.t === 'call:state' && lastState(peer)?.video, false);
  assert.match(notes.at(-1) ?? '', /camera stopped/);
  assert.deepEqual(sending(peer), ['audio'], 'no ended track left on the video sender');
  await calls.toggleCamera();
  await settled();
  assert.equal(calls.self().video, true);
  assert.equal(opened.length, 2, 'a camera was opened again');
  assert.deepEqual(sending(peer), ['audio', 'video']);

  (first.getAudioTracks()[0] as FakeTrack).unplug();
  await settled();
  assert.equal(calls.self().audio, false);
  assert.match(notes.at(-1) ?? '', /microphone stopped/);
  assert.deepEqual(sending(peer), ['video']);
  calls.toggleMute();
  await settled();
  assert.equal(calls.self().audio, true, 'Unmute opened a microphone');
  assert.equal(opened.length, 3);
  assert.deepEqual(sending(peer), ['audio', 'video']);
});

test('our own stop (hang up) is not taken for a lost device', async () => {
  const notes: (string | null)[] = [];
  fakeDevices();
  const peer = fakeMember('peer-0-000000');
  const calls = callsWith([peer], { notify: (text) => notes.push(text) });
  await calls.join(true);
  calls.leave();
  assert.equal(notes.filter((n) => n?.includes('stopped')).length, 0);
});

test('holding Enter on Mute (a click per key repeat) never takes an honest member over what the others take; the last state still goes', async (t) => {
  const { createBudget } = await import('../../client/budget.ts');
  const { CHANNEL_RATES } = await import('../../protocol/index.ts');
  fakeDevices();
  let now = 0;
  const peer = fakeMember('peer-0-000000');
  const calls = callsWith([peer], { now: () => now });
  calls.feature.added?.(peer);
  calls.feature.opened?.(peer);
  await calls.join(false);
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  // The other side's budget for what we send it (router.admit), and its state bound.
  const theirs = createBudget(CHANNEL_RATES, () => now);
  const theirBound = createWindowCounter(undefined, undefined, () => now);
  const verdicts: string[] = [];
  let seen = peer.wire.length;
  for (let i = 0; i < 120; i++) {
    now = i * 33;
    mock.timers.tick(33);
    calls.toggleMute();
    for (const message of peer.wire.slice(seen)) {
      verdicts.push(theirs.admit(message.t, JSON.stringify(message).length));
      if (message.t === 'call:state') assert.ok(theirBound.take(), 'within the state bound');
    }
    seen = peer.wire.length;
  }
  assert.deepEqual(new Set(verdicts), new Set(['pass']));
  now += 1_000;
  mock.timers.tick(1_000);
  assert.equal(lastState(peer)?.t === 'call:state' && lastState(peer)?.audio, calls.self().audio, 'the last word went');
});

test('a member this page holds (cut for flooding, link intercepted) or hears nothing from is not shown in the call, nor sent to', async () => {
  const { peer, calls } = await inCallWithOne();
  await settled();
  assert.deepEqual(sending(peer), ['audio', 'video']);
  // member-hold.ts hold(): shut, its link closed, kept in the list.
  Object.assign(peer, { shut: true, open: false });
  calls.feature.shut?.(peer);
  await settled();
  assert.deepEqual(calls.participants(), []);
  assert.deepEqual(sending(peer), [], 'our tracks stop going to it');
  calls.leave();
  assert.equal(calls.running(), false, 'no call on in the room as this page sees it');
});

test('a member gone silent (its network lost, its tab frozen) stays in the call, said not to be heard; heard again, as before', async () => {
  const { peer, calls } = await inCallWithOne();
  assert.deepEqual(
    calls.participants().map((p) => [p.id, p.heard]),
    [[peer.id, true]],
  );
  // member.ts: the link's heartbeat went quiet (link.ts silent()); open is false until heard.
  peer.open = false;
  assert.deepEqual(
    calls.participants().map((p) => [p.id, p.heard]),
    [[peer.id, false]],
    'its tile stays, showing its last picture, and the view says it is not responding',
  );
  peer.open = true;
  assert.deepEqual(
    calls.participants().map((p) => [p.id, p.heard]),
    [[peer.id, true]],
  );
  calls.leave();
});

test('a member our messages reach through another while its own link is repaired is shown reached through others, its link being repaired', async () => {
  const { peer, calls } = await inCallWithOne();
  const shown = () => calls.participants().map((p) => [p.heard, p.throughOthers, p.repairing]);
  assert.deepEqual(shown(), [[true, false, false]]);
  // Silent on its link (link.ts: reconnecting, an ICE restart on its way); a relay carries our
  // messages to it (member.relayed, the route the call's status names), none came from it yet.
  const writable = peer as { open: boolean; state: string; relayed: boolean };
  writable.open = false;
  writable.state = 'reconnecting';
  writable.relayed = true;
  assert.deepEqual(shown(), [[false, true, true]], 'as the status says: reached through another, being repaired');
  writable.open = true;
  writable.state = 'connected';
  writable.relayed = false;
  assert.deepEqual(shown(), [[true, false, false]]);
  calls.leave();
});

test('hanging up while the camera prompt is open: no camera is checked or kept (its light stays off)', async (t) => {
  // The camera the prompt gives cannot be sent: checking it would go on to open the others.
  t.after(fakeFrameReading(new Set(['cam-0'])));
  let release: (() => void) | null = null;
  const opened = fakeDevices();
  const devices = (globalThis.navigator as { mediaDevices: { getUserMedia(c: unknown): Promise<unknown> } })
    .mediaDevices;
  const real = devices.getUserMedia.bind(devices);
  let prompts = 0;
  devices.getUserMedia = (c) =>
    prompts++ === 0 ? new Promise((resolve) => (release = () => resolve(real(c)))) : real(c);
  const { calls } = harness(1);
  const joining = calls.join(true);
  await new Promise((r) => setTimeout(r, 1));
  calls.leave();
  (release as (() => void) | null)?.();
  await joining;
  assert.equal(opened.length, 1, 'no other camera opened in place of the one the prompt gave');
  assert.ok(
    (opened[0] as FakeStream).getTracks().every((track) => (track as FakeTrack).stopped),
    'everything opened is stopped',
  );
  assert.equal(calls.self().inCall, false);
});

// --- Camera off and on -----------------------------------------------------------------------

/** The track on our video sender to this member (the camera, or null: nothing goes). */
const sentCamera = (peer: FakeMember) =>
  peer.fakePc.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender.track ?? null;

/** getUserMedia held open until release() (a permission prompt, a slow camera), counting asks. */
function holdCameraOpens() {
  const devices = navigator.mediaDevices as unknown as { getUserMedia(c: unknown): Promise<unknown> };
  const open = devices.getUserMedia.bind(devices);
  const held: Array<() => void> = [];
  let asked = 0;
  devices.getUserMedia = (constraints) => {
    asked++;
    return new Promise((resolve) => held.push(() => resolve(open(constraints))));
  };
  return {
    asked: () => asked,
    async release() {
      for (const go of held.splice(0)) go();
      await settled();
    },
  };
}

test('Camera off stops the camera and sends nothing in its place; Camera on opens the same camera again on the same sender; neither renegotiates', async () => {
  const { calls, peer } = await inCallWithOne();
  await settled();
  const camera = sentCamera(peer);
  assert.equal(camera?.deviceId, 'cam-0');
  const changesBefore = peer.fakePc.directionChanges;
  const transceiversBefore = peer.fakePc.getTransceivers().length;

  await calls.toggleCamera();
  await settled();
  assert.equal(camera?.stopped, true, 'the camera is stopped (its light goes out)');
  assert.equal(sentCamera(peer), null, 'the video sender sends nothing, not black frames');
  assert.equal(calls.self().video, false);
  assert.equal(calls.cameraOn(), false);
  assert.deepEqual(lastState(peer), stateOf(true, { video: false }), 'the members are told at once');
  assert.equal(sending(peer).join(), 'audio', 'the microphone goes on');
  assert.equal(calls.devices().video, 'cam-0', 'the picker shows the camera Camera on opens');

  await calls.toggleCamera();
  await settled();
  const again = sentCamera(peer);
  assert.equal(again?.deviceId, 'cam-0', 'the camera used before');
  assert.notEqual(again, camera, 'a new track');
  assert.equal(again?.readyState, 'live');
  assert.equal(calls.self().video, true);
  assert.deepEqual(lastState(peer), stateOf(true));
  assert.equal(peer.fakePc.directionChanges, changesBefore, 'nothing to renegotiate');
  assert.equal(peer.fakePc.getTransceivers().length, transceiversBefore);
  calls.leave();
});

/** A page's memory of the microphone and camera last picked (storage.ts), in variables. */
function deviceMemory(camera: string | null = null, microphone: string | null = null) {
  const stored: Record<'audio' | 'video', string | null> = { audio: microphone, video: camera };
  return {
    stored,
    load: (kind: 'audio' | 'video') => stored[kind],
    save: (kind: 'audio' | 'video', deviceId: string) => {
      stored[kind] = deviceId;
    },
  };
}

/** The track on our audio sender to this member (the microphone). */
const sentMic = (peer: FakeMember) =>
  peer.fakePc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.sender.track ?? null;

/** Joins with what `memory` holds and hangs up: the microphone and camera sent, and what was said in the call. */
async function joinAndLeave(memory: DeviceMemory, video: boolean) {
  const { calls, peer, notes } = await inCallWithOne(video, memory);
  await settled();
  const sent = { mic: sentMic(peer)?.deviceId, camera: sentCamera(peer)?.deviceId ?? null, notes: [...notes] };
  calls.leave();
  return sent;
}

/** Joins with what `memory` holds, picks `deviceId` in the list and hangs up: the device sent before the pick. */
async function pickAndLeave(memory: DeviceMemory, video: boolean, kind: 'audio' | 'video', deviceId: string) {
  const { calls, peer } = await inCallWithOne(video, memory);
  await settled();
  const before = (kind === 'audio' ? sentMic(peer) : sentCamera(peer))?.deviceId;
  await calls.switchDevice(kind, deviceId);
  calls.leave();
  return before;
}

test('the camera picked is remembered: Join with video and Camera on open it in the next call; one that is gone opens the default and says so', async () => {
  const memory = deviceMemory();
  assert.equal(await pickAndLeave(memory, true, 'video', 'cam-1'), 'cam-0', 'nothing picked yet: the default');
  assert.equal(memory.stored.video, 'cam-1');

  // The next call: the camera picked opens, nothing said.
  const next = await inCallWithOne(true, memory);
  await settled();
  assert.equal(sentCamera(next.peer)?.deviceId, 'cam-1');
  assert.equal(next.calls.devices().video, 'cam-1');
  assert.deepEqual(next.notes, [null]);
  next.calls.leave();
  // Joined with audio: Camera on opens it as well.
  const audio = await inCallWithOne(false, memory);
  await audio.calls.toggleCamera();
  await settled();
  assert.equal(sentCamera(audio.peer)?.deviceId, 'cam-1');
  audio.calls.leave();

  // Gone (unplugged, or the browser forgot its id): the default camera, and a plain word why;
  // the choice stays for when it is back.
  memory.stored.video = GONE_CAMERA;
  const gone = await joinAndLeave(memory, true);
  assert.deepEqual(gone, { mic: 'mic-0', camera: 'cam-0', notes: [otherDeviceText(['video'])] });
  assert.match(gone.notes[0] ?? '', /^The camera you picked last time is not there/);
  assert.equal(memory.stored.video, GONE_CAMERA);
  const off = await inCallWithOne(false, memory);
  await off.calls.toggleCamera();
  assert.equal(off.notes.at(-1), otherDeviceText(['video']));
  off.calls.leave();
});

test('the microphone picked is remembered: Join call and Join with video open it in the next call; one that is gone opens the default and says so, and both gone say both in one message', async () => {
  const memory = deviceMemory();
  assert.equal(await pickAndLeave(memory, false, 'audio', 'mic-1'), 'mic-0', 'nothing picked yet: the default');
  assert.equal(memory.stored.audio, 'mic-1');
  assert.equal(memory.stored.video, null, 'a microphone picked is no camera');

  // The next call, with audio or with video: the microphone picked opens, nothing said.
  assert.deepEqual(await joinAndLeave(memory, false), { mic: 'mic-1', camera: null, notes: [null] });
  assert.deepEqual(await joinAndLeave(memory, true), { mic: 'mic-1', camera: 'cam-0', notes: [null] });

  // Gone: the default microphone, and a plain word why; the choice stays for when it is back.
  memory.stored.audio = GONE_MIC;
  const gone = await joinAndLeave(memory, false);
  assert.deepEqual(gone, { mic: 'mic-0', camera: null, notes: [otherDeviceText(['audio'])] });
  assert.match(
    gone.notes[0] ?? '',
    /^The microphone you picked last time is not there \(unplugged\?\), so your default microphone is on/,
  );
  assert.equal(memory.stored.audio, GONE_MIC);
  // Gone with the camera picked still there: that camera opens, and only the microphone is spoken of.
  memory.stored.video = 'cam-1';
  assert.deepEqual(await joinAndLeave(memory, true), {
    mic: 'mic-0',
    camera: 'cam-1',
    notes: [otherDeviceText(['audio'])],
  });

  // Both gone: the defaults, and one message that says both.
  memory.stored.video = GONE_CAMERA;
  const both = await joinAndLeave(memory, true);
  assert.deepEqual(both, { mic: 'mic-0', camera: 'cam-0', notes: [otherDeviceText(['audio', 'video'])] });
  assert.match(
    both.notes[0] ?? '',
    /^The microphone and the camera you picked last time are not there .*your default microphone and camera are on/,
  );
});

test('Unmute after the microphone was lost opens the one picked, not the default; one that is gone opens the default and says so', async () => {
  const memory = deviceMemory(null, 'mic-1');
  const { calls, peer, notes } = await inCallWithOne(false, memory);
  await settled();
  assert.equal(sentMic(peer)?.deviceId, 'mic-1');
  // The microphone drops out (a headset's radio, a loose plug) and is back: Unmute opens it.
  (sentMic(peer) as FakeTrack).unplug();
  await settled();
  assert.equal(calls.self().audio, false);
  calls.toggleMute();
  await settled();
  assert.equal(calls.self().audio, true);
  assert.equal(sentMic(peer)?.deviceId, 'mic-1', 'the microphone picked, by its id');
  assert.equal(calls.devices().audio, 'mic-1');
  assert.equal(notes.at(-1), null, 'nothing to say');

  // Gone for good: the default microphone, and the one plain message why; the choice stays.
  memory.stored.audio = GONE_MIC;
  (sentMic(peer) as FakeTrack).unplug();
  await settled();
  calls.toggleMute();
  await settled();
  assert.equal(calls.self().audio, true);
  assert.equal(sentMic(peer)?.deviceId, 'mic-0');
  assert.equal(notes.at(-1), otherDeviceText(['audio']));
  assert.equal(memory.stored.audio, GONE_MIC);
  calls.leave();
});

test('Unmute that finds no microphone, or is no longer allowed to, says why in the words of someone still in the call, and we stay in it, muted', async () => {
  for (const [refusal, words] of [
    ['NotFoundError', /^You stay muted: no microphone was found/],
    ['NotAllowedError', /^You stay muted: the browser is no longer allowed/],
  ] as const) {
    const { calls, peer, notes } = await inCallWithOne(false);
    await settled();
    (sentMic(peer) as FakeTrack).unplug();
    await settled();
    fakeDevices(refusal);
    calls.toggleMute();
    await settled();
    assert.equal(calls.self().inCall, true);
    assert.equal(calls.self().audio, false);
    const said = notes.at(-1) ?? '';
    assert.match(said, words);
    assert.match(said, /Unmute again\. You are still in the call\.$/);
    assert.doesNotMatch(said, /join with audio only/, 'not the words for someone joining');
    calls.leave();
  }
});

test('a camera picked in the list while the camera is off opens nothing then, and Camera on opens it', async () => {
  const { calls, peer, opened } = await inCallWithOne();
  await calls.toggleCamera();
  const opens = opened.length;
  await calls.switchDevice('video', 'cam-1');
  assert.equal(opened.length, opens, 'no camera opened while off');
  assert.equal(calls.devices().video, 'cam-1');
  assert.equal(calls.self().video, false);
  await calls.toggleCamera();
  await settled();
  assert.equal(sentCamera(peer)?.deviceId, 'cam-1');
  calls.leave();
});

test('Camera on whose camera is gone or now refused says so, and we stay in the call with the camera off', async () => {
  for (const [refusal, words] of [
    ['OverconstrainedError', /stays off: it is not there any more/],
    ['NotAllowedError', /stays off: the browser is not allowed/],
  ] as const) {
    const { calls, peer, notes } = await inCallWithOne();
    await calls.toggleCamera();
    const devices = navigator.mediaDevices as unknown as { getUserMedia(c: unknown): Promise<unknown> };
    devices.getUserMedia = async () => {
      throw Object.assign(new Error(refusal), { name: refusal });
    };
    await calls.toggleCamera();
    await settled();
    assert.match(notes.at(-1) ?? '', words, refusal);
    assert.equal(calls.self().inCall, true, 'still in the call');
    assert.equal(calls.self().video, false);
    assert.equal(calls.cameraOn(), false);
    assert.deepEqual(sending(peer), ['audio'], 'the microphone still goes');
    assert.deepEqual(lastState(peer), stateOf(true, { video: false }));
    calls.leave();
  }
});

test('presses while the camera opens: no second open, and the camera ends as the last press said', async () => {
  for (const presses of [2, 3, 4]) {
    const { calls, peer } = await inCallWithOne(false);
    const held = holdCameraOpens();
    const done = Promise.all(Array.from({ length: presses }, () => calls.toggleCamera()));
    await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(held.asked(), 1, `${presses} presses: one open`);
    const on = presses % 2 === 1;
    assert.equal(calls.cameraOn(), on, 'the button says what the last press asked for');
    await held.release();
    await done;
    await settled();
    assert.equal(held.asked(), 1, `${presses} presses: still one open`);
    assert.equal(calls.self().video, on);
    assert.equal(sentCamera(peer)?.readyState ?? null, on ? 'live' : null);
    calls.leave();
  }
});

test('Camera off while the camera opens: the camera that opens is stopped, and nothing goes', async () => {
  const { calls, peer, opened } = await inCallWithOne(false);
  const held = holdCameraOpens();
  const first = calls.toggleCamera();
  await new Promise((resolve) => setTimeout(resolve, 1));
  void calls.toggleCamera(); // off while it opens
  await held.release();
  await first;
  assert.equal(calls.self().video, false);
  assert.equal(sentCamera(peer), null);
  assert.equal(held.asked(), 1);
  const cameras = opened.flatMap((stream) => stream.getVideoTracks());
  assert.ok(cameras.length === 1 && cameras[0]?.stopped, 'the camera that opened is stopped');
  calls.leave();
});

test("a member's camera back on gives its tile a new stream, so that the last frame from before is not shown again", () => {
  const peer = fakeMember('peer-0-000000');
  const calls = callsWith([peer]);
  calls.feature.added?.(peer);
  calls.feature.receive(peer, stateOf(true) as never);
  const before = calls.participants()[0]?.stream;
  calls.feature.receive(peer, stateOf(true, { video: false }) as never);
  assert.equal(calls.participants()[0]?.stream, before, 'off: nothing to reload');
  calls.feature.receive(peer, stateOf(true) as never);
  assert.notEqual(calls.participants()[0]?.stream, before, 'on again: a new stream');
});

test('Camera on is drawn at once: the button says Camera off while the camera opens, not only once something else redraws', async () => {
  fakeDevices();
  const peer = fakeMember('peer-0-000000');
  let draws = 0;
  const calls = createCalls({ selfId: () => SELF_ID, members: () => [peer], changed: () => draws++, notify: () => {} });
  await calls.join(false);
  const held = holdCameraOpens();
  const drawn = draws;
  const opening = calls.toggleCamera();
  assert.ok(draws > drawn, 'a draw asked for');
  assert.equal(calls.cameraOn(), true);
  assert.equal(calls.cameraOpening(), true);
  await held.release();
  await opening;
  calls.leave();
});

test('a screen that cannot be shared is said in a screen’s words, not a camera’s or microphone’s; a closed picker says nothing', async () => {
  const { calls, notes } = await inCallWithOne(false);
  fakeDevices(null, 'NotReadableError');
  await calls.toggleScreen();
  await settled();
  assert.equal(
    notes.at(-1),
    'Your screen could not be captured: another app may be holding it. You are still in the call.',
  );
  const said = notes.length;
  fakeDevices(null, 'NotAllowedError');
  await calls.toggleScreen();
  await settled();
  assert.equal(notes.length, said, 'the picker closed: nothing said');
  assert.equal(calls.self().screen, false);
  calls.leave();
});
