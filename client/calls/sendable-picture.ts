// Whether a camera's picture can reach the others at all. Some cameras give frames that no
// video encoder takes: an infrared or depth camera (a face-login camera, a depth sensor)
// gives 16-bit grey. The page draws them, so our preview looks right, but WebRTC encodes
// none of them and the others see a black tile. Such a frame has no `format` (null) where an
// ordinary camera's is I420 or NV12; Chromium's fake_device_1 is one (its frames are Y16).
// Reading a frame needs MediaStreamTrackProcessor (Chromium); where there is none (Firefox,
// Safari's main thread), or no frame comes in time, we cannot tell, and say it can.

/** A camera's first frame comes within ~0.1–0.5 s of opening it; past this we stop waiting. */
const FIRST_FRAME_WAIT_MS = 1_500;

interface FrameReader {
  read(): Promise<{ done: boolean; value?: { format: string | null; close(): void } }>;
  cancel(): Promise<void>;
}
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
    const format = frame.format;
    frame.close();
    return format !== null;
  } catch {
    return true;
  } finally {
    clearTimeout(timer);
    reader?.cancel().catch(() => {});
    probe.stop();
  }
}
