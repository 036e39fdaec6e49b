// What the call's controls work with (calls-join.ts, calls-mic.ts, calls-camera.ts,
// calls-screen.ts, calls-devices.ts): our media, what we say and send, one click's work at a
// time. calls.ts makes each part once and hands each control the ones it uses.
import type { LocalMedia } from '../calls/local-media.ts';
import type { MediaKind } from '../calls/senders.ts';
import type { CallClicks } from './calls-clicks.ts';
import type { OwnCallState } from './calls-own-state.ts';
import type { CallSending } from './calls-sending.ts';
import type { VideoCap } from './calls-video-cap.ts';

/** The microphone and camera the user picked last (deviceIds), kept across calls and visits (storage.ts). */
export interface DeviceMemory {
  load(kind: MediaKind): string | null;
  save(kind: MediaKind, deviceId: string): void;
}

export interface CallControlParts {
  media: LocalMedia;
  own: OwnCallState;
  sending: CallSending;
  clicks: CallClicks;
  cap: VideoCap;
  deviceMemory: DeviceMemory;
  /** A plain message for the user (null clears it). */
  notify(text: string | null): void;
  /** Something the call view shows changed. */
  changed(): void;
}
