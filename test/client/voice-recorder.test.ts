// Recording a voice message (client/voice/recorder.ts) against a stand-in microphone and
// MediaRecorder: every way it ends stops the microphone's tracks, a clip under half a second
// is not sent, five minutes stops and sends, a refused microphone records nothing.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { MAX_CLIP_MS } from '../../client/voice/clip.ts';
import {
  CLIP_BITS_PER_SECOND,
  createVoiceRecorder,
  type RecorderClass,
  type RecordingEnd,
  type VoiceRecorder,
} from '../../client/voice/recorder.ts';

class FakeTrack {
  stopped = false;
  stop(): void {
    this.stopped = true;
  }
}

/** A stand-in MediaRecorder: start and stop fire their events in the next task, as a browser's do. */
class FakeRecorder extends EventTarget {
  static supported: readonly string[] = ['audio/webm;codecs=opus', 'audio/mp4'];
  static made: FakeRecorder[] = [];
  static isTypeSupported(type: string): boolean {
    return FakeRecorder.supported.includes(type);
  }
  state: 'inactive' | 'recording' = 'inactive';
  readonly mimeType: string;
  timeslice: number | undefined;
  constructor(
    readonly stream: unknown,
    readonly options: MediaRecorderOptions,
  ) {
    super();
    this.mimeType = options.mimeType ?? '';
    FakeRecorder.made.push(this);
  }
  start(timeslice?: number): void {
    this.timeslice = timeslice;
    this.state = 'recording';
    setImmediate(() => this.dispatchEvent(new Event('start')));
  }
  /** Hands over a chunk, as the recorder does every timeslice and at the stop. */
  data(bytes: string): void {
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([bytes]) }));
  }
  stop(): void {
    if (this.state === 'inactive') throw new Error('InvalidStateError: stopped twice');
    this.state = 'inactive';
    setImmediate(() => {
      this.data('last');
      this.dispatchEvent(new Event('stop'));
    });
  }
}

let clock = 0;
let tracks: FakeTrack[] = [];
let asked: unknown[] = [];
let refuse: Error | null = null;
let ends: RecordingEnd[] = [];
let starts = 0;

function recorderWith(
  env: Partial<Parameters<typeof createVoiceRecorder>[1] & object> = {},
  ask: (constraints: unknown) => Promise<unknown> = async (constraints) => {
    asked.push(constraints);
    if (refuse) throw refuse;
    const stream = [new FakeTrack()];
    tracks.push(...stream);
    return { getTracks: () => stream };
  },
): VoiceRecorder {
  return createVoiceRecorder(
    { started: () => void starts++, ended: (end) => void ends.push(end) },
    {
      mediaDevices: { getUserMedia: ask as unknown as MediaDevices['getUserMedia'] },
      MediaRecorder: FakeRecorder as unknown as RecorderClass,
      preferredMic: () => null,
      now: () => clock,
      ...env,
    },
  );
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};
/** A recorder recording: the microphone given, the recorder started. */
async function recording(): Promise<VoiceRecorder> {
  const voice = recorderWith();
  await voice.start();
  await settle();
  return voice;
}
const recorder = (): FakeRecorder => {
  const made = FakeRecorder.made.at(-1);
  assert.ok(made, 'a recorder was made');
  return made;
};
const allStopped = (): boolean => tracks.length > 0 && tracks.every((track) => track.stopped);

beforeEach(() => {
  clock = 0;
  tracks = [];
  asked = [];
  refuse = null;
  ends = [];
  starts = 0;
  FakeRecorder.made = [];
  FakeRecorder.supported = ['audio/webm;codecs=opus', 'audio/mp4'];
  // The five-minute limit on the test's clock: a recording a failed test left going holds nothing.
  mock.timers.enable({ apis: ['setTimeout'] });
});
afterEach(() => mock.timers.reset());

test('Record asks for the microphone alone and records Opus in WebM, at a voice’s bitrate, in pieces', async () => {
  const voice = recorderWith();
  await voice.start();
  assert.deepEqual(asked, [{ audio: true, video: false }]);
  assert.equal(recorder().options.mimeType, 'audio/webm;codecs=opus');
  assert.equal(recorder().options.audioBitsPerSecond, CLIP_BITS_PER_SECOND);
  assert.ok((recorder().timeslice ?? 0) > 0, 'handed over as it records, not in one piece at the end');
  assert.equal(voice.state(), 'recording');
  await settle();
  assert.equal(starts, 1, 'the bar shows once the recorder started');
  // Pressed again while recording: nothing more is asked or recorded.
  await voice.start();
  assert.equal(asked.length, 1);
  assert.equal(FakeRecorder.made.length, 1);
});

test('Send stops, sends the clip with its length, and the microphone goes off', async () => {
  const voice = await recording();
  clock = 1_200;
  assert.equal(voice.elapsed(), 1_200);
  recorder().data('first ');
  voice.send();
  // Pressed again while it stops, or Cancel (Escape) then: it was sent, and stays so.
  voice.send();
  voice.cancel();
  await settle();
  assert.equal(ends.length, 1);
  const [end] = ends;
  assert.ok(end?.kind === 'sent');
  assert.equal(end.micStopped, false);
  assert.equal(end.file.type, 'audio/webm');
  assert.match(end.file.name, /^voice message \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.webm$/);
  assert.equal(await end.file.text(), 'first last', 'every chunk, in order (no WebM header here to write into)');
  assert.ok(allStopped());
  assert.equal(voice.state(), 'idle');
  assert.equal(voice.elapsed(), 0);
});

test('Cancel stops and sends nothing, and the microphone goes off', async () => {
  const voice = await recording();
  clock = 3_000;
  voice.cancel();
  await settle();
  assert.deepEqual(ends, [{ kind: 'cancelled' }]);
  assert.ok(allStopped());
});

test('a clip under half a second is not sent, and says so', async () => {
  const voice = await recording();
  clock = 499;
  voice.send();
  await settle();
  assert.deepEqual(ends, [{ kind: 'problem', problem: 'too-short' }]);
  assert.ok(allStopped());
  // Half a second is enough.
  await voice.start();
  await settle();
  clock += 500;
  voice.send();
  await settle();
  assert.equal(ends[1]?.kind, 'sent');
});

test('at five minutes the recording stops and is sent', async () => {
  await recording();
  clock = MAX_CLIP_MS - 1;
  mock.timers.tick(MAX_CLIP_MS - 1);
  await settle();
  assert.equal(ends.length, 0, 'still recording a moment before');
  clock = MAX_CLIP_MS;
  mock.timers.tick(1);
  await settle();
  assert.equal(ends.length, 1);
  assert.equal(ends[0]?.kind, 'sent');
  assert.ok(allStopped());
});

test('a refused or missing microphone records nothing and says why', async () => {
  for (const [name, problem] of [
    ['NotAllowedError', 'denied'],
    ['NotFoundError', 'no-device'],
    ['NotReadableError', 'in-use'],
    ['TypeError', 'failed'],
  ] as const) {
    ends = [];
    refuse = Object.assign(new Error(name), { name });
    const voice = recorderWith();
    await voice.start();
    assert.deepEqual(ends, [{ kind: 'problem', problem }], name);
    assert.equal(FakeRecorder.made.length, 0, 'nothing recorded');
    assert.equal(voice.state(), 'idle', 'Record works again');
  }
});

test('the microphone picked in a call is asked for by its id; not there, the default; refused, not asked again', async () => {
  const picked = 'headset-0123';
  const exact = { audio: { deviceId: { exact: picked } }, video: false };
  const first = recorderWith({ preferredMic: () => picked });
  await first.start();
  assert.deepEqual(asked, [exact]);
  first.cancel();
  await settle();

  // Unplugged since (or its id forgotten): the browser cannot satisfy the exact id.
  asked = [];
  const second = recorderWith({ preferredMic: () => picked }, async (constraints) => {
    asked.push(constraints);
    if (JSON.stringify(constraints).includes(picked))
      throw Object.assign(new Error('gone'), { name: 'OverconstrainedError' });
    const stream = [new FakeTrack()];
    tracks.push(...stream);
    return { getTracks: () => stream };
  });
  await second.start();
  assert.deepEqual(asked, [exact, { audio: true, video: false }]);
  assert.equal(second.state(), 'recording', 'recorded with the default');
  second.cancel();
  await settle();

  // Refused: asking for the default would be refused too.
  asked = [];
  ends = [];
  refuse = Object.assign(new Error('NotAllowedError'), { name: 'NotAllowedError' });
  await recorderWith({ preferredMic: () => picked }).start();
  assert.deepEqual(asked, [exact]);
  assert.deepEqual(ends, [{ kind: 'problem', problem: 'denied' }]);
});

test('no microphone API (not a secure page) or no recorder type: nothing asked, and it says why', async () => {
  await recorderWith({ mediaDevices: undefined }).start();
  FakeRecorder.supported = [];
  await recorderWith().start();
  await recorderWith({ MediaRecorder: undefined }).start();
  assert.deepEqual(ends, [
    { kind: 'problem', problem: 'insecure' },
    { kind: 'problem', problem: 'unsupported' },
    { kind: 'problem', problem: 'unsupported' },
  ]);
  assert.deepEqual(asked, [], 'the microphone was never asked for');
});

test('cancelled while the microphone is asked for: closed as soon as it is given, nothing recorded', async () => {
  let give: (stream: unknown) => void = () => {};
  const stream = [new FakeTrack()];
  tracks.push(...stream);
  const voice = recorderWith({}, () => new Promise((resolve) => (give = resolve)));
  const starting = voice.start();
  assert.equal(voice.state(), 'asking');
  voice.cancel();
  give({ getTracks: () => stream });
  await starting;
  assert.deepEqual(ends, [{ kind: 'cancelled' }]);
  assert.equal(FakeRecorder.made.length, 0);
  assert.ok(allStopped());
});

test('a recorder that fails, or cannot start, sends nothing, and the microphone goes off', async () => {
  await recording();
  clock = 2_000;
  recorder().dispatchEvent(new Event('error'));
  recorder().stop(); // a browser stops it after the error: that end is not told again
  await settle();
  assert.deepEqual(ends, [{ kind: 'problem', problem: 'recorder-failed' }]);
  assert.ok(allStopped());

  ends = [];
  tracks = [];
  class Refusing extends FakeRecorder {
    override start(): void {
      throw new Error('NotSupportedError');
    }
  }
  await recorderWith({ MediaRecorder: Refusing as unknown as RecorderClass }).start();
  assert.deepEqual(ends, [{ kind: 'problem', problem: 'recorder-failed' }]);
  assert.ok(allStopped());
});

test('a microphone that stops by itself (unplugged) ends the recording, and what it recorded is sent', async () => {
  await recording();
  clock = 4_000;
  recorder().stop(); // the browser's recorder stops once its only track has ended
  await settle();
  assert.equal(ends.length, 1);
  assert.ok(ends[0]?.kind === 'sent' && ends[0].micStopped);
  assert.ok(allStopped());
});
