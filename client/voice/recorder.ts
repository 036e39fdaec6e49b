// Recording one voice message: the microphone asked for (audio alone, a stream of its own, so
// a call's tracks are never touched; the one last picked in a call if it is there, as a call
// opens it), MediaRecorder in the first type it supports
// (clip.ts), and one end for each way it stops: sent, cancelled, too short, refused or
// failed. Whatever the end, the microphone's tracks are stopped, so the browser's indicator
// goes off. No DOM: the button and the bar are view/voice-record.ts's.
import { mediaProblem } from '../calls/media-errors.ts';
import { loadDevice } from '../storage.ts';
import { type ClipProblem, clipFile, clipType, MAX_CLIP_MS, MIN_CLIP_MS, recordingType } from './clip.ts';

/**
 * Opus at this rate is clear speech: Chromium's default (128 kbit/s) made a five-minute clip
 * 4.8 MB, this makes it 1.2 MB.
 */
export const CLIP_BITS_PER_SECOND = 32_000;
/** The recorder hands over what it has this often, so a clip is not one buffer held to the end. */
const TIMESLICE_MS = 1_000;

export type RecordingEnd =
  /** `micStopped`: the microphone stopped by itself (unplugged), and what it recorded went. */
  | { kind: 'sent'; file: File; micStopped: boolean }
  | { kind: 'cancelled' }
  /** Nothing sent, and the note under the message box says why. */
  | { kind: 'problem'; problem: ClipProblem };

export interface RecorderHandlers {
  /** Recording now: the bar shows, and its time counts from here. */
  started(): void;
  /** It is over, however it ended; called once per start. */
  ended(end: RecordingEnd): void;
}

/** What MediaRecorder is to this module (a stand-in in the unit tests). */
export interface RecorderClass {
  new (stream: MediaStream, options: MediaRecorderOptions): MediaRecorder;
  isTypeSupported(type: string): boolean;
}

export interface RecorderEnv {
  /** Absent where the page is not a secure context (plain http on a LAN address). */
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined;
  MediaRecorder: RecorderClass | undefined;
  /** The microphone last picked in a call (its deviceId), or null: the browser's default. */
  preferredMic(): string | null;
  /** A clock for lengths, in milliseconds. */
  now(): number;
}

export type RecorderState = 'idle' | 'asking' | 'recording';

export interface VoiceRecorder {
  /** Asks for the microphone and records; nothing while it is asking or recording already. */
  start(): Promise<void>;
  /** Stops and sends what was recorded ('sent', or the problem 'too-short'). */
  send(): void;
  /** Stops and sends nothing. While the microphone is being asked for, it is closed once given. */
  cancel(): void;
  /** Milliseconds recorded so far. */
  elapsed(): number;
  state(): RecorderState;
}

/** The browser's microphone and recorder. */
export function browserRecorderEnv(): RecorderEnv {
  return {
    mediaDevices: globalThis.navigator?.mediaDevices,
    MediaRecorder: globalThis.MediaRecorder,
    preferredMic: () => loadDevice('audio'),
    now: () => performance.now(),
  };
}

/**
 * The microphone picked in a call by its id, exact, and the default only if that one is not
 * there (unplugged, or its id forgotten with the site's data), as a call opens it
 * (calls/local-media-ask.ts): a voice message in the headset the user talks into, not the
 * laptop's own microphone. A refusal is not asked again: the default would be refused too.
 */
async function openMic(devices: Pick<MediaDevices, 'getUserMedia'>, preferred: string | null): Promise<MediaStream> {
  if (preferred !== null) {
    try {
      return await devices.getUserMedia({ audio: { deviceId: { exact: preferred } }, video: false });
    } catch (error) {
      if (mediaProblem(error) !== 'no-device') throw error;
    }
  }
  return devices.getUserMedia({ audio: true, video: false });
}

/** One recording, from the ask to its end. */
interface Session {
  stream: MediaStream | null;
  recorder: MediaRecorder | null;
  /** When the recorder said it started, and when it was asked to stop (null: not yet). */
  startedAt: number | null;
  stoppedAt: number | null;
  /** What the user asked for; null at the stop event: the microphone stopped by itself. */
  wanted: 'send' | 'cancel' | null;
  chunks: Blob[];
  /** The local time it started, for the clip's name. */
  at: Date;
  limit: ReturnType<typeof setTimeout> | undefined;
}

export function createVoiceRecorder(
  handlers: RecorderHandlers,
  env: RecorderEnv = browserRecorderEnv(),
): VoiceRecorder {
  let session: Session | null = null;

  /** The one way out: the tracks stopped, and the end told once. */
  function finish(current: Session, end: RecordingEnd): void {
    if (session !== current) return;
    session = null;
    clearTimeout(current.limit);
    for (const track of current.stream?.getTracks() ?? []) track.stop();
    handlers.ended(end);
  }

  function stop(current: Session, wanted: 'send' | 'cancel'): void {
    if (session !== current || current.wanted !== null) return;
    current.wanted = wanted;
    current.stoppedAt = env.now();
    // No recorder yet: the ask is under way, and start() closes what it gives.
    if (current.recorder && current.recorder.state !== 'inactive') current.recorder.stop();
  }

  /** The recorder stopped: asked to, at the limit, or by itself when its track ended. */
  async function stopped(current: Session, type: string): Promise<void> {
    if (session !== current) return;
    // The microphone goes off now, not once the clip is made.
    for (const track of current.stream?.getTracks() ?? []) track.stop();
    if (current.wanted === 'cancel') return finish(current, { kind: 'cancelled' });
    const length = (current.stoppedAt ?? env.now()) - (current.startedAt ?? env.now());
    if (length < MIN_CLIP_MS) return finish(current, { kind: 'problem', problem: 'too-short' });
    let file: File;
    try {
      file = await clipFile(current.chunks, type, length, current.at);
    } catch {
      return finish(current, { kind: 'problem', problem: 'recorder-failed' });
    }
    finish(current, { kind: 'sent', file, micStopped: current.wanted === null });
  }

  function record(current: Session, stream: MediaStream, Recorder: RecorderClass, asked: string): void {
    const recorder = new Recorder(stream, { mimeType: asked, audioBitsPerSecond: CLIP_BITS_PER_SECOND });
    current.recorder = recorder;
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) current.chunks.push(event.data);
    });
    recorder.addEventListener('start', () => {
      if (session !== current) return;
      current.startedAt = env.now();
      current.limit = setTimeout(() => stop(current, 'send'), MAX_CLIP_MS);
      handlers.started();
    });
    // The recorder stops itself after an error: what it made is not trusted to be whole.
    recorder.addEventListener('error', () => finish(current, { kind: 'problem', problem: 'recorder-failed' }));
    recorder.addEventListener('stop', () => void stopped(current, clipType(asked, recorder.mimeType)));
    recorder.start(TIMESLICE_MS);
  }

  return {
    async start() {
      if (session !== null) return;
      const { mediaDevices, MediaRecorder: Recorder } = env;
      const current: Session = {
        stream: null,
        recorder: null,
        startedAt: null,
        stoppedAt: null,
        wanted: null,
        chunks: [],
        at: new Date(),
        limit: undefined,
      };
      session = current;
      if (mediaDevices === undefined) return finish(current, { kind: 'problem', problem: 'insecure' });
      const asked = Recorder ? recordingType((type) => Recorder.isTypeSupported(type)) : null;
      if (!Recorder || asked === null) return finish(current, { kind: 'problem', problem: 'unsupported' });
      try {
        current.stream = await openMic(mediaDevices, env.preferredMic());
      } catch (error) {
        return finish(current, { kind: 'problem', problem: mediaProblem(error) });
      }
      if (current.wanted !== null) return finish(current, { kind: 'cancelled' });
      try {
        record(current, current.stream, Recorder, asked);
      } catch {
        finish(current, { kind: 'problem', problem: 'recorder-failed' });
      }
    },
    send() {
      if (session) stop(session, 'send');
    },
    cancel() {
      if (session) stop(session, 'cancel');
    },
    elapsed() {
      const startedAt = session?.startedAt ?? null;
      return startedAt === null ? 0 : env.now() - startedAt;
    },
    state: () => (session === null ? 'idle' : session.recorder === null ? 'asking' : 'recording'),
  };
}
