// The room's call: audio, video and screen sharing on the members' existing peer
// connections. Each member says whether it is in the call (call:state); two members that
// are both in it send each other their tracks, so a member outside the call costs nobody
// upload. Adding or swapping tracks fires negotiationneeded, and the link's perfect
// negotiation renegotiates: there is no call signaling besides the state message.
import { type CallState, DEFAULT_MAX_VIDEO_SENDERS, NOT_IN_CALL } from '../../protocol/index.ts';
import { createLocalMedia, mediaDevices } from '../calls/local-media.ts';
import { MEDIA_PROBLEM_TEXT, type MediaProblem, otherDeviceText } from '../calls/media-errors.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import { mark } from '../timeline.ts';
import { createCallCamera } from './calls-camera.ts';
import { createCallClicks } from './calls-clicks.ts';
import type { CallControlParts, DeviceMemory } from './calls-controls.ts';
import { createCallDevices } from './calls-devices.ts';
import { createCallMic } from './calls-mic.ts';
import { createOwnCallState } from './calls-own-state.ts';
import { createRemoteState } from './calls-remote-state.ts';
import { createRemoteTracks } from './calls-remote-tracks.ts';
import { createCallScreen } from './calls-screen.ts';
import { createCallSending } from './calls-sending.ts';
import { createCallSlots } from './calls-slots.ts';
import { createVideoCap } from './calls-video-cap.ts';

/** One member in the call, as the view shows it. */
export interface CallParticipant {
  id: string;
  name: string;
  state: CallState;
  stream: MediaStream;
  /** Its screen shared next to its camera, while it says so. */
  screen: MediaStream | null;
  /** Its audio receiver, for the speaking indicator. */
  audio: RTCRtpReceiver | null;
  /**
   * We hear it (its channel's heartbeat): false while it is silent (its network gone, its
   * tab frozen), when what its tile shows is the last picture it sent, until it is heard
   * again or dropped.
   */
  heard: boolean;
}

export type { DeviceMemory };

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
  /** Clock for the call-state bound (tests pass their own). */
  now?: () => number;
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
  deviceMemory = { load: () => null, save: () => {} },
}: CallsOptions) {
  const slots = createCallSlots(now);
  const media = createLocalMedia((kind) => devices.lost(kind));
  const own = createOwnCallState({ members, changed, inCallSet: (inCall) => devices.watch(inCall), now });
  const sending = createCallSending({ selfId, members, slots, own, media, callOn });
  const remoteState = createRemoteState({ slots, own, sending, changed });
  const remoteTracks = createRemoteTracks({ slots, sending, changed });
  const clicks = createCallClicks(changed);
  const cap = createVideoCap({ initial: initialCap, members, slots, own, notify });
  const controls: CallControlParts = { media, own, sending, clicks, cap, deviceMemory, notify, changed };
  const devices = createCallDevices(controls);
  const mic = createCallMic(controls);
  const camera = createCallCamera(controls);
  const screen = createCallScreen(controls);
  /**
   * Join was clicked and our camera and microphone are opening. We are in the call already
   * (see join): the members in it send to us meanwhile, and we show and hear them.
   */
  let joining = false;
  /** What screenPreview() last gave: a stream made again only for another track. */
  let screenPreview: MediaStream | null = null;

  /** Someone in the room is in the call, as far as this page knows: we, or a member. */
  function callOn(): boolean {
    if (own.state.inCall) return true;
    for (const member of members()) if (slots.inCall(member)) return true;
    return false;
  }

  function problem(kind: MediaProblem): void {
    notify(MEDIA_PROBLEM_TEXT[kind]);
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
    /** Our own camera's stream, once it is open. */
    preview: () => (own.state.inCall && !joining ? media.stream : null),
    /** Our screen shared next to our camera, for our own preview of it (the same stream while the track is). */
    screenPreview(): MediaStream | null {
      const track = own.state.inCall && !joining ? media.extra() : null;
      if (!track) screenPreview = null;
      else if (screenPreview?.getVideoTracks()[0] !== track) screenPreview = new MediaStream([track]);
      return screenPreview;
    },
    /** Members in the call, with what to show for each. */
    participants(): CallParticipant[] {
      const out: CallParticipant[] = [];
      for (const member of members()) {
        if (!slots.inCall(member)) continue;
        const slot = slots.of(member);
        const audio = member.pc.getReceivers().find((r) => r.track.kind === 'audio') ?? null;
        const screen = slot.remote.screenAlongside === true ? slot.screenStream : null;
        out.push({
          id: member.id,
          name: member.name,
          state: slot.remote,
          stream: slot.stream,
          screen,
          audio,
          heard: member.open,
        });
      }
      return out;
    },
    /** Joins the call with the microphone, and the camera when `video` (from a click). */
    join(video: boolean): Promise<void> {
      return clicks.serve(async () => {
        if (own.state.inCall) return;
        if (!mediaDevices()) return problem('insecure');
        let withVideo = video;
        let note: string | null = null;
        if (withVideo && cap.senders() >= cap.value()) {
          withVideo = false;
          note = `${cap.value()} cameras are already on, so you joined with audio only: in a mesh each camera is uploaded once per member. You can turn yours on when someone turns theirs off.`;
        }
        mark('call-join');
        // In the call at once, as muted and camera off, while our media opens: the members in
        // it start sending to us now instead of after the camera is up (opening it took 1.4–
        // 5.9 s on a busy machine in the calls bench, and a member's first frame to us about
        // as long again after that). Our own tracks follow once open. Where we are a link's
        // first offerer, its m-lines go now, for our tracks to take; a link that opens
        // meanwhile gets them when it opens (prepareWhenCallOn).
        joining = true;
        own.set({ inCall: true, audio: false, video: false, screen: false });
        mark('call-state-sent');
        sending.prepareAllWhenCallOn();
        const opened = await media
          .open(withVideo, () => own.state.inCall, {
            audio: deviceMemory.load('audio'),
            video: deviceMemory.load('video'),
          })
          .finally(() => {
            joining = false;
          });
        // Hung up while the camera opened: nothing may stay open.
        if (!own.state.inCall) return media.closeAll();
        if (!opened.ok) {
          own.set({ ...NOT_IN_CALL });
          return problem(opened.problem);
        }
        mark('call-media-open');
        // The camera asked for could not be sent (and no other could): joined with audio. And
        // what opened in place of the devices picked last time, in the same message.
        const said = opened.problem ? MEDIA_PROBLEM_TEXT[opened.problem] : note;
        const gone = opened.gone ? otherDeviceText(opened.gone) : null;
        notify(said && gone ? `${said} ${gone}` : (said ?? gone));
        own.set({ inCall: true, audio: media.mic !== null, video: media.camera !== null, screen: false });
        sending.sendToAll();
        await devices.refresh();
      });
    },
    /** Microphones and cameras to pick from while in the call, and the ones in use. */
    devices: devices.choices,
    switchDevice: devices.switchDevice,
    leave(): void {
      if (!own.state.inCall) return;
      media.closeAll();
      devices.clear();
      for (const member of members()) sending.stopSendingTo(member);
      notify(null);
      own.set({ ...NOT_IN_CALL });
    },
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
