// Joining the call and leaving it. Join puts us in the call at once and opens our microphone
// (and camera) meanwhile; Leave closes all we opened and stops what we send.
import { NOT_IN_CALL } from '../../protocol/index.ts';
import { mediaDevices } from '../calls/local-media.ts';
import {
  joinedWithoutCameraText,
  joinProblemText,
  MEDIA_PROBLEM_TEXT,
  otherDeviceText,
} from '../calls/media-errors.ts';
import type { MemberHandle } from '../feature.ts';
import { mark } from '../timeline.ts';
import type { CallControlParts } from './calls-controls.ts';
import type { CallDevices } from './calls-devices.ts';
import { alreadyOn } from './calls-video-cap.ts';

export interface CallJoinOptions
  extends Pick<CallControlParts, 'media' | 'own' | 'sending' | 'clicks' | 'cap' | 'deviceMemory' | 'notify'> {
  members(): Iterable<MemberHandle>;
  devices: CallDevices;
}

export function createCallJoin(options: CallJoinOptions) {
  const { members, devices, media, own, sending, clicks, cap, deviceMemory, notify } = options;
  /**
   * Join was clicked and our camera and microphone are opening. We are in the call already
   * (see join): the members in it send to us meanwhile, and we show and hear them.
   */
  let joining = false;

  return {
    joining: () => joining,
    /** Joins the call with the microphone, and the camera when `video` (from a click). */
    join(video: boolean): Promise<void> {
      return clicks.serve(async () => {
        if (own.state.inCall) return;
        if (!mediaDevices()) return notify(MEDIA_PROBLEM_TEXT.insecure);
        const atCap = () =>
          `${alreadyOn(cap.value())}, so you joined with audio only: in a mesh each camera is uploaded once per member. You can turn yours on when someone turns theirs off.`;
        let withVideo = video;
        let note: string | null = null;
        if (withVideo && cap.senders() >= cap.value()) {
          withVideo = false;
          note = atCap();
        }
        mark('call-join');
        // In the call at once, as muted and camera off, while our media opens: the members in
        // it start sending to us now instead of after the camera is up (opening it took 1.4–
        // 5.9 s on a busy machine in the calls bench, and a member's first frame to us about
        // as long again after that). Our own tracks follow once open. Where we are a link's
        // first offerer, its m-lines go now, for our tracks to take; a link that opens
        // meanwhile gets them when it opens (calls-sending.ts, prepareWhenCallOn).
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
          return notify(joinProblemText(opened.problem, withVideo ? opened.kind : 'audio'));
        }
        mark('call-media-open');
        // Cameras turned on while ours opened (seconds, a prompt perhaps) may have reached the
        // cap: ours is not sent at all, rather than sent and taken back (calls-video-cap.ts).
        if (media.camera && cap.senders() >= cap.value()) {
          media.closeCamera();
          note = atCap();
        }
        // The camera asked for could not be used (not allowed, or no camera's picture could be
        // sent): joined with audio. And what opened in place of the devices picked last time,
        // in the same message.
        const said = opened.problem ? joinedWithoutCameraText(opened.problem) : note;
        const gone = opened.gone ? otherDeviceText(opened.gone) : null;
        notify(said && gone ? `${said} ${gone}` : (said ?? gone));
        own.set({ inCall: true, audio: media.mic !== null, video: media.camera !== null, screen: false });
        sending.sendToAll();
        await devices.refresh();
      });
    },
    leave(): void {
      if (!own.state.inCall) return;
      media.closeAll();
      devices.clear();
      for (const member of members()) sending.stopSendingTo(member);
      notify(null);
      own.set({ ...NOT_IN_CALL });
    },
  };
}
