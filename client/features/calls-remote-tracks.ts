// The tracks each member sends us: accepted, counted against MAX_REMOTE_TRACKS, and put in
// the streams its tile shows (its microphone and camera in one, a screen next to its camera
// in another).
import { acceptMedia, refuseMedia } from '../calls/senders.ts';
import type { MemberHandle } from '../feature.ts';
import { mark } from '../timeline.ts';
import type { CallSending } from './calls-sending.ts';
import type { CallSlots } from './calls-slots.ts';

/**
 * Distinct remote tracks taken from one member on one connection (its microphone, its camera
 * and a screen shared next to it, and one more); tracks beyond this are refused (refuseMedia):
 * a hostile member cannot make us play, or receive and decode, dozens. A replaced link starts
 * the count over.
 */
export const MAX_REMOTE_TRACKS = 4;

export interface RemoteTracksOptions {
  slots: CallSlots;
  sending: CallSending;
  /** Something the call view shows changed. */
  changed(): void;
}

export function createRemoteTracks({ slots, sending, changed }: RemoteTracksOptions) {
  return {
    /** A track event of the member's connection. */
    receive(member: MemberHandle, event: RTCTrackEvent) {
      mark(`call-track-${event.track.kind}`, member.id);
      const slot = slots.of(member);
      acceptMedia(member.pc, event.transceiver);
      // Accepted first: the first offerer's m-lines may be here, and the tracks that waited for
      // them go now (every track event of this offer fires before sendTo's first await, so all
      // are accepted).
      sending.linesCame(member);
      const track = event.track;
      if (!slot.seenTracks.has(track.id)) {
        if (slot.seenTracks.size >= MAX_REMOTE_TRACKS) return refuseMedia(event.transceiver);
        slot.seenTracks.add(track.id);
      }
      if (isExtraVideo(member.pc, event.transceiver)) {
        // A screen next to the camera: shown apart, while the member says it shares one.
        if (slot.screenStream?.getTrackById(track.id)) return;
        slot.screenStream = new MediaStream([track]);
        changed();
        return;
      }
      if (slot.stream.getTrackById(track.id)) return;
      for (const old of slot.stream.getTracks()) if (old.kind === track.kind) slot.stream.removeTrack(old);
      // A new stream object, so that a <video> showing the old one picks the new track up.
      slot.stream = new MediaStream([...slot.stream.getTracks(), track]);
      changed();
    },
  };
}

/**
 * A video transceiver after the link's first one: the first carries the camera (or a screen
 * in its place), a later one a screen next to the camera.
 */
function isExtraVideo(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver): boolean {
  if (transceiver.receiver.track.kind !== 'video') return false;
  const first = pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
  return first !== undefined && first !== transceiver;
}
