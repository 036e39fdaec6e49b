// Our microphones and cameras in the call: the list the pickers offer (read again as devices
// come and go, watched only while we are in the call), another one picked in place of the
// one in use, and one the browser ended.
import { type DeviceChoice, listDevices, mediaDevices } from '../calls/local-media.ts';
import { pickedProblemText } from '../calls/media-errors.ts';
import type { MediaKind } from '../calls/senders.ts';
import type { CallControlParts } from './calls-controls.ts';

export type CallDevicesOptions = Pick<
  CallControlParts,
  'media' | 'own' | 'sending' | 'clicks' | 'deviceMemory' | 'changed' | 'notify'
>;

export function createCallDevices({ media, own, sending, clicks, deviceMemory, changed, notify }: CallDevicesOptions) {
  /** Microphones and cameras to pick from, read once media is open (labels need a permission). */
  let devices: DeviceChoice[] = [];

  async function refreshDevices(): Promise<void> {
    devices = own.state.inCall ? await listDevices() : [];
    changed();
  }
  const devicesChanged = () => void refreshDevices();
  let watchingDevices = false;

  return {
    /** Reads the list again (empty out of the call). */
    refresh: refreshDevices,
    /** Out of the call: nothing to pick from. */
    clear(): void {
      devices = [];
    },
    /**
     * Device changes matter only in a call (its device pickers). A devicechange listener makes
     * Chromium start its video capture service to watch the devices: ~0.2 CPU-s over a room of
     * eight forming, for pages that mostly never join a call. So it is there only in a call.
     */
    watch(inCall: boolean): void {
      if (inCall === watchingDevices) return;
      watchingDevices = inCall;
      const media = mediaDevices();
      if (inCall) media?.addEventListener?.('devicechange', devicesChanged);
      else media?.removeEventListener?.('devicechange', devicesChanged);
    },
    /** Microphones and cameras to pick from while in the call, and the ones in use. */
    choices: () => ({ list: devices, audio: media.deviceOf('audio'), video: media.deviceOf('video') }),
    /**
     * Another microphone or camera in place of the current one: the members in the call get
     * it through replaceTrack on the same senders, so nothing is renegotiated.
     */
    switchDevice(kind: MediaKind, deviceId: string): Promise<void> {
      return clicks.serve(async () => {
        if (!own.state.inCall || deviceId === media.deviceOf(kind)) return;
        const had = kind === 'audio' ? media.mic : media.camera;
        const switched = await media.switchDevice(kind, deviceId);
        // Picked, and it works (or waits for Camera on): the next call opens it too.
        if (switched.ok) deviceMemory.save(kind, deviceId);
        if (!own.state.inCall) return media.closeAll();
        if (!switched.ok) {
          // The device in use may have been freed for it, then opened again or lost
          // (local-media-switch.ts): what we send, and what we say we send, follow it.
          const lost = had !== null && (kind === 'audio' ? media.mic : media.camera) === null;
          if (kind === 'audio' && !media.mic) own.set({ ...own.state, audio: false });
          if (kind === 'video' && !media.camera) own.set({ ...own.state, video: false });
          sending.sendToAll();
          return notify(pickedProblemText(kind, switched.problem, lost));
        }
        // A refusal said of an earlier pick no longer holds: this one works.
        notify(null);
        sending.sendToAll();
      });
    },
    /**
     * The browser ended our microphone or camera (unplugged, permission withdrawn): we say
     * so, and the user's Unmute or Camera on opens one again (the picker shows what is left).
     */
    lost(kind: MediaKind): void {
      if (!own.state.inCall) return;
      notify(
        kind === 'audio'
          ? 'Your microphone stopped (unplugged, or its permission was taken back): you are muted. Unmute opens one again.'
          : 'Your camera stopped (unplugged, or its permission was taken back): it is off. Camera on opens one again.',
      );
      own.set({ ...own.state, ...(kind === 'audio' ? { audio: false } : { video: false }) });
      sending.sendToAll();
      void refreshDevices();
    },
  };
}

export type CallDevices = ReturnType<typeof createCallDevices>;
