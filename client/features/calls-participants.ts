// What the call view shows: the members in the call, each with its streams and whether we
// hear it, and our own previews (our camera, a screen we share next to it).
import type { CallState } from '../../protocol/index.ts';
import type { LocalMedia } from '../calls/local-media.ts';
import type { MemberHandle } from '../feature.ts';
import type { OwnCallState } from './calls-own-state.ts';
import type { CallSlots } from './calls-slots.ts';

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
  /**
   * Silent on its own link but heard through another member (MemberHandle.heardThrough), or
   * our messages go to it through one (MemberHandle.relayed, as the call's status says): its
   * words come, its media cannot (calls need a direct link or TURN): not "not responding".
   */
  throughOthers: boolean;
  /**
   * Its own link worked and is being repaired (ICE restarts, link.ts: 'reconnecting'): while
   * it is reached through others, its media may come back any moment, and its tile says so.
   */
  repairing: boolean;
}

export interface CallParticipantsOptions {
  members(): Iterable<MemberHandle>;
  slots: CallSlots;
  own: OwnCallState;
  media: LocalMedia;
  /** Join was clicked and our media is still opening (calls-join.ts): no preview yet. */
  joining(): boolean;
}

export function createCallParticipants({ members, slots, own, media, joining }: CallParticipantsOptions) {
  /** What screenPreview() last gave: a stream made again only for another track. */
  let screenPreview: MediaStream | null = null;

  return {
    /** Our own camera's stream, once it is open. */
    preview: () => (own.state.inCall && !joining() ? media.stream : null),
    /** Our screen shared next to our camera, for our own preview of it (the same stream while the track is). */
    screenPreview(): MediaStream | null {
      const track = own.state.inCall && !joining() ? media.extra() : null;
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
          throughOthers: member.heardThrough !== null || member.relayed,
          repairing: member.state === 'reconnecting',
        });
      }
      return out;
    },
  };
}
