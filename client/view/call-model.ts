// What the call area's view (view/calls.ts) is given: the handlers its controls and tiles
// call, and the model each render draws.
import type { CallState } from '../../protocol/index.ts';
import type { DeviceChoice } from '../calls/local-media.ts';
import type { CallParticipant } from '../features/calls.ts';
import type { Silence } from './call-silence.ts';

export interface CallsViewHandlers {
  join(video: boolean): void;
  mute(): void;
  camera(): void;
  /** Shares a screen in place of the camera, or (`alongside`) next to it; or stops sharing. */
  screen(alongside: boolean): void;
  leave(): void;
  /** Another microphone or camera picked from the list. */
  device(kind: 'audio' | 'video', deviceId: string): void;
  /** The quality line for a member's tile (on request). */
  quality(peerId: string): Promise<string>;
}

export interface CallsModel {
  supported: boolean;
  busy: boolean;
  self: CallState;
  /** Our camera as the Camera button shows it: on (a press turns it off), also while it opens. */
  cameraOn: boolean;
  /** Our camera is opening: the Camera button still takes presses (the last one counts). */
  cameraOpening: boolean;
  selfName: string;
  /** Our own camera (null until it is open): the mirrored tile. */
  preview: MediaStream | null;
  /** Our screen shared next to our camera, while we share one: a small preview tile. */
  screenPreview: MediaStream | null;
  participants: readonly CallParticipant[];
  /** Microphones and cameras to pick from, and the deviceIds in use. */
  devices: { list: readonly DeviceChoice[]; audio: string | null; video: string | null };
  /** Member id → relayed through TURN. */
  relayed(peerId: string): boolean;
  /** Whose doing the silence of a member we do not hear is, by member id (silenceOf). */
  silence(peerId: string): Silence;
  /** A member we ignore (ignored.ts): its tile is muted on this page, its picture hidden. */
  ignored(peerId: string): boolean;
  /** Members reached only through another member (relay.ts), by name, with that member's: no call reaches them. */
  throughOthers: readonly OutOfReach[];
}

export interface OutOfReach {
  name: string;
  via: string;
  /**
   * Its direct link worked and is being repaired (link.ts: 'reconnecting'): not reached
   * directly right now, rather than out of the call's reach.
   */
  repairing: boolean;
}
