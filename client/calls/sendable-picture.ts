// Whether a camera's picture can reach the others at all. Some cameras give frames that no
// video encoder takes: an infrared or depth camera (a face-login camera, a depth sensor)
// gives 16-bit grey. The page draws them, so our preview looks right, but WebRTC encodes
// none of them and the others see a black tile. Such a frame has no `format` (null) where an
// ordinary camera's is I420 or NV12; Chromium's fake_device_1 is one (its frames are Y16).
// A frame whose pixels are on the GPU has no format either, and encodes fine: so a frame
// without one is handed to a video encoder (WebCodecs), and only one the encoder refuses
// means a camera that cannot be sent (measured: VP8 refuses fake_device_1's first frame,
// "Encoding error.", and takes the others'). Reading a frame needs MediaStreamTrackProcessor
// (Chromium); where there is none (Firefox, Safari's main thread), or no frame comes in time,
// or the encoder neither takes nor refuses it in time, we cannot tell, and say it can.

/** A camera's first frame comes within ~0.1–0.5 s of opening it; past this we stop waiting. */
const FIRST_FRAME_WAIT_MS = 1_500;

/** How long the encoder may take over one frame before we stop waiting (and say it can). */
const ENCODE_WAIT_MS = 1_000;

interface Frame {
  format: string | null;
  codedWidth: number;
  codedHeight: number;
  close(): void;
}
interface FrameReader {
  read(): Promise<{ done: boolean; value?: Frame }>;
  cancel(): Promise<void>;
}
interface Encoder {
  configure(config: { codec: string; width: number; height: number }): void;
  encode(frame: Frame): void;
  flush(): Promise<void>;
  close(): void;
  readonly state: string;
}
type EncoderClass = new (init: { output(): void; error(error: unknown): void }) => Encoder;
type TrackProcessor = new (init: { track: MediaStreamTrack }) => { readable: { getReader(): FrameReader } };

export async function pictureSendable(track: MediaStreamTrack, waitMs = FIRST_FRAME_WAIT_MS): Promise<boolean> {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessor }).MediaStreamTrackProcessor;
  if (typeof Processor !== 'function' || track.readyState === 'ended') return true;
  // A clone, so that the processor's reading takes no frame from what is sent or shown.
  const probe = track.clone();
  let reader: FrameReader | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    reader = new Processor({ track: probe }).readable.getReader();
    const timedOut = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    const reading = reader.read();
    const first = await Promise.race([reading, timedOut]);
    if (first === null) {
      // A frame that comes after all is let go, not left to the garbage collector.
      void reading.then(
        (late) => late.value?.close(),
        () => {},
      );
      return true;
    }
    const frame = first.value;
    if (!frame) return true;
    if (frame.format !== null) {
      frame.close();
      return true;
    }
    const encodes = await encoderTakes(frame);
    frame.close();
    return encodes;
  } catch {
    return true;
  } finally {
    clearTimeout(timer);
    probe.stop();
    if (reader) void letGo(reader);
  }
}

/** Frames a reader takes, at most, while it is let go: a camera queues a few at most. */
const DRAIN_LIMIT = 8;

/**
 * Closes every frame still queued in the reader (the probe's track is stopped: its stream
 * ends), then cancels it. Cancelled at once, a frame the processor had queued meanwhile was
 * left to the garbage collector, which Chromium warns of ("A VideoFrame was garbage
 * collected without being closed"): a camera waits for its frames to be closed.
 */
async function letGo(reader: FrameReader): Promise<void> {
  try {
    for (let i = 0; i < DRAIN_LIMIT; i++) {
      const reading = reader.read();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const next = await Promise.race([
        reading,
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), ENCODE_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (next === null) {
        // A stream that does not end: a frame it gives later is closed all the same.
        reading.then((late) => late.value?.close()).catch(() => {});
        break;
      }
      if (next.done) return;
      next.value?.close();
    }
    await reader.cancel();
  } catch {
    // A stream that errors has nothing more to give.
  }
}

/** Whether a VP8 encoder takes this frame: false if it refuses it, true if it takes it or cannot tell. */
async function encoderTakes(frame: Frame): Promise<boolean> {
  const Encoder = (globalThis as { VideoEncoder?: EncoderClass }).VideoEncoder;
  // No WebCodecs to ask: a frame without a format is taken as the depth camera it mostly is.
  if (typeof Encoder !== 'function') return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let encoder: Encoder | null = null;
  try {
    return await new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), ENCODE_WAIT_MS);
      let taken = false;
      encoder = new Encoder({
        output: () => {
          taken = true;
        },
        error: () => resolve(false),
      });
      encoder.configure({ codec: 'vp8', width: frame.codedWidth || 640, height: frame.codedHeight || 480 });
      encoder.encode(frame);
      encoder.flush().then(
        () => resolve(taken),
        () => resolve(false),
      );
    });
  } catch {
    // The encoder could not be set up for it: that says nothing of the camera.
    return true;
  } finally {
    clearTimeout(timer);
    const opened = encoder as Encoder | null;
    if (opened !== null && opened.state !== 'closed') opened.close();
  }
}
