// The Camera button while in the call. Camera off stops the camera (its light goes out) and
// sends nothing in its place: the members' tiles show us as camera off from our state, not
// from frames that stop. Camera on opens the camera chosen again and sends it on the same
// senders (no renegotiation); presses while it opens only change what it ends as.
import { CAMERA_ON_PROBLEM_TEXT, otherDeviceText } from '../calls/media-errors.ts';
import type { CallControlParts } from './calls-controls.ts';

export type CallCameraOptions = Pick<
  CallControlParts,
  'media' | 'own' | 'sending' | 'clicks' | 'cap' | 'deviceMemory' | 'notify' | 'changed'
>;

export function createCallCamera({
  media,
  own,
  sending,
  clicks,
  cap,
  deviceMemory,
  notify,
  changed,
}: CallCameraOptions) {
  /**
   * Camera on is opening the camera (a prompt may be open). Presses meanwhile only change
   * cameraWanted: never a second open, and the camera ends as the last press said.
   */
  let cameraOpening: Promise<void> | null = null;
  /** The last press while the camera opens: on (keep it) or off (stop it once open). */
  let cameraWanted = false;

  function cameraOff(): void {
    media.closeCamera();
    own.set({ ...own.state, video: false });
    sending.sendToAll();
  }

  /**
   * Opens the camera for Camera on. Presses meanwhile only change cameraWanted, which
   * openCamera reads once the camera is open: off pressed last, it stops what opened.
   */
  async function openWantedCamera(): Promise<void> {
    const opened = await media.openCamera(() => own.state.inCall && cameraWanted, deviceMemory.load('video'));
    // Hung up while the prompt was open: nothing may stay open.
    if (!own.state.inCall) return media.closeAll();
    if (!opened.ok) {
      if (cameraWanted) notify(CAMERA_ON_PROBLEM_TEXT[opened.problem]);
      return;
    }
    if (!media.camera) return;
    // Cameras turned on while ours opened may have reached the cap: ours is not sent.
    if (cap.reached()) return media.closeCamera();
    notify(opened.gone ? otherDeviceText(opened.gone) : null);
    own.set({ ...own.state, video: true });
    sending.sendToAll();
  }

  return {
    /**
     * The camera as the Camera button shows it: on (a press turns it off) while open, or while
     * opening unless a press since said off.
     */
    on: () => (cameraOpening ? cameraWanted : media.camera !== null),
    /** Camera on is opening the camera: presses of the Camera button are taken meanwhile. */
    opening: () => cameraOpening !== null,
    /** A press of the Camera button. */
    toggle(): Promise<void> {
      if (!own.state.inCall) return Promise.resolve();
      if (cameraOpening) {
        cameraWanted = !cameraWanted;
        changed();
        return cameraOpening;
      }
      if (clicks.busy()) return Promise.resolve();
      if (media.camera) {
        cameraOff();
        return Promise.resolve();
      }
      // On counts against the cap as joining with video does; off never does.
      if (cap.reached()) return Promise.resolve();
      cameraWanted = true;
      const opening = clicks.serve(openWantedCamera).finally(() => {
        cameraOpening = null;
        changed();
      });
      cameraOpening = opening;
      // Drawn now: the button says Camera off while the camera opens (a prompt may stay open).
      changed();
      return opening;
    },
  };
}
