// The room's call: audio, video and screen sharing on the members' existing peer
// connections. Each member says whether it is in the call (call:state); two members that
// are both in it send each other their tracks, so a member outside the call costs nobody
// upload. Adding or swapping tracks fires negotiationneeded, and the link's perfect
// negotiation renegotiates: there is no call signaling besides the state message.
// This module is the feature and the handle the page uses; its parts, each in a module of its own:
//   calls-slots.ts          each member's part of the call, one slot per connection;
//   calls-own-state.ts      what we say of ourselves, and to whom;
//   calls-sending.ts        what we send each member (media m-lines, then our tracks, in order);
//   calls-remote-state.ts   what each member says of itself, bounded;
//   calls-remote-tracks.ts  the tracks each member sends us;
//   calls-video-cap.ts      the cap on cameras in the call;
//   calls-clicks.ts         one click's work at a time;
//   calls-controls.ts       what the controls below work with;
//   calls-join.ts, calls-mic.ts, calls-camera.ts, calls-screen.ts, calls-devices.ts
//                           Join and Leave, Mute, Camera, Share screen, and the device pickers;
//   calls-participants.ts   what the call view shows.
import { DEFAULT_MAX_VIDEO_SENDERS } from '../../protocol/index.ts';
import { createLocalMedia, mediaDevices } from '../calls/local-media.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import { createCallCamera } from './calls-camera.ts';
import { createCallClicks } from './calls-clicks.ts';
import type { CallControlParts, DeviceMemory } from './calls-controls.ts';
import { createCallDevices } from './calls-devices.ts';
import { createCallJoin } from './calls-join.ts';
import { createCallMic } from './calls-mic.ts';
import { createOwnCallState } from './calls-own-state.ts';
import { type CallParticipant, createCallParticipants } from './calls-participants.ts';
import { createRemoteState } from './calls-remote-state.ts';
import { createRemoteTracks } from './calls-remote-tracks.ts';
import { createCallScreen } from './calls-screen.ts';
import { createCallSending } from './calls-sending.ts';
import { createCallSlots } from './calls-slots.ts';
import { createVideoCap } from './calls-video-cap.ts';

export type { CallParticipant, DeviceMemory };

export interface CallsOptions {
  /** Our peer id ('' until joined): who offers first on a link decides who prepares media. */
  selfId(): string;
  members(): Iterable<MemberHandle>;
  /** Something the call view shows changed. */
  changed(): void;
  /** A plain message for the user (null clears it). */
  notify(text: string | null): void;
  /** Until the server's join ack says otherwise (setMaxVideoSenders). */
  maxVideoSenders?: number;
  /** Clock for the call-state bound and for when video went on (tests pass their own). */
  now?: () => number;
  /** The wall clock our videoSince is said by (tests pass their own). */
  wallNow?: () => number;
  /** The microphone and camera the user picked last (deviceIds), kept across calls and visits (storage.ts). */
  deviceMemory?: DeviceMemory;
}

export function createCalls({
  selfId,
  members,
  changed,
  notify,
  maxVideoSenders: initialCap = DEFAULT_MAX_VIDEO_SENDERS,
  now = () => performance.now(),
  wallNow = Date.now,
  deviceMemory = { load: () => null, save: () => {} },
}: CallsOptions) {
  const slots = createCallSlots(now);
  const media = createLocalMedia((kind) => devices.lost(kind));
  const own = createOwnCallState({
    members,
    changed,
    inCallSet: (inCall) => devices.watch(inCall),
    now,
    wallNow,
    said: () => cap.check(),
  });
  const sending = createCallSending({ selfId, members, slots, own, media, callOn });
  const remoteState = createRemoteState({ slots, own, sending, changed, applied: () => cap.check(), now });
  const remoteTracks = createRemoteTracks({ slots, sending, changed });
  const clicks = createCallClicks(changed);
  const cap = createVideoCap({ initial: initialCap, selfId, members, slots, own, notify, yieldVideo, now });
  const controls: CallControlParts = { media, own, sending, clicks, cap, deviceMemory, notify, changed };
  const devices = createCallDevices(controls);
  const joinLeave = createCallJoin({ ...controls, members, devices });
  const mic = createCallMic(controls);
  const camera = createCallCamera(controls);
  const screen = createCallScreen(controls);
  const shown = createCallParticipants({ members, slots, own, media, joining: joinLeave.joining });

  /** Past the cap (calls-video-cap.ts): our camera and screen go off, and we say so. */
  function yieldVideo(): void {
    media.closeCamera();
    media.closeScreen();
    own.set({ ...own.state, video: false, screen: false });
    sending.sendToAll();
  }

  /** Someone in the room is in the call, as far as this page knows: we, or a member. */
  function callOn(): boolean {
    if (own.state.inCall) return true;
    for (const member of members()) if (slots.inCall(member)) return true;
    return false;
  }

  const feature = defineFeature({
    name: 'calls',
    types: ['call:state'],
    added: (member) => {
      slots.of(member);
    },
    opened(member) {
      slots.of(member);
      // The side that made the link's first offer adds the media m-lines, if a call is on.
      sending.prepareWhenCallOn(member);
      own.greet(member);
    },
    // A hello checked: what it said of its version may be new (a link can open before, and a
    // member reached through a relay says none), and with it whether it reads our videoSince.
    verified: own.helloHeard,
    receive: remoteState.receive,
    track: remoteTracks.receive,
    shut(member) {
      // No longer heard nor sent to: out of the call as this page shows it, our tracks with it.
      sending.stopSendingTo(member);
      changed();
    },
    removed(member) {
      slots.removed(member);
      changed();
    },
  });

  return {
    feature,
    /** The server's cap from the join ack; anything but a sane whole number keeps the current one. */
    setMaxVideoSenders: cap.set,
    maxVideoSenders: cap.value,
    /** Secure context present: calls can be offered at all. */
    supported: () => mediaDevices() !== null,
    self: () => own.state,
    /** Someone in the room is in the call, as far as this page knows (we, or a member). */
    running: callOn,
    busy: clicks.busy,
    // What the call view shows (calls-participants.ts).
    preview: shown.preview,
    screenPreview: shown.screenPreview,
    participants: shown.participants,
    /** Joins the call with the microphone, and the camera when `video` (from a click; calls-join.ts). */
    join: joinLeave.join,
    /** Microphones and cameras to pick from while in the call, and the ones in use. */
    devices: devices.choices,
    switchDevice: devices.switchDevice,
    leave: joinLeave.leave,
    toggleMute: mic.toggleMute,
    // The Camera button: what it shows, and a press (calls-camera.ts).
    cameraOn: camera.on,
    cameraOpening: camera.opening,
    toggleCamera: camera.toggle,
    /** A screen in place of the camera, or `alongside` it as a second video; and back (calls-screen.ts). */
    toggleScreen: screen.toggle,
  };
}

export type Calls = ReturnType<typeof createCalls>;
