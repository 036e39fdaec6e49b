// The call's wiring: the calls feature (features/calls.ts) and the call area's view
// (view/calls.ts) made together, and the call drawn from the members as they are on the
// next frame (tiles, controls, who is in the call in the member list, whose silence it is).
// Separate from main.ts because it is one job with its own state (whether a running call is
// drawn): the rest of the page only asks for a redraw and reads that.
import { MEDIA_PROBLEM_TEXT } from '../calls/media-errors.ts';
import { describeQuality, incomingVideoQuality, type MediaQuality } from '../calls/stats.ts';
import type { MemberHandle } from '../feature.ts';
import { createCalls } from '../features/calls.ts';
import type { Ignored } from '../ignored.ts';
import type { MemberView } from '../member.ts';
import { type CallMemory, loadDevice, saveDevice } from '../storage.ts';
import type { Silence } from '../view/call-silence.ts';
import { createCallsView } from '../view/calls.ts';
import { perFrame } from '../view/frame.ts';
import type { MembersView } from '../view/members.ts';

export interface CallWiringOptions {
  selfId(): string;
  selfName(): string;
  /** The member objects (features/calls.ts), and the members as listed (mesh.ts). */
  all(): Iterable<MemberHandle>;
  listed(): MemberView[];
  /** The link to a member, for the quality of the video it sends us. */
  pc(peerId: string): RTCPeerConnection | undefined;
  members: MembersView;
  /** Whose a member's silence is (view/call-silence.ts silenceOf, as the member list's). */
  silence(peerId: string): Silence;
  /** Whether we are in the call, kept for the next page of this tab (storage.ts). */
  memory?: CallMemory;
  /** The members we ignore: their tiles are muted and show no picture here (ignored.ts). */
  ignored?: Pick<Ignored, 'has' | 'changed'>;
}

/** Said in the call area when the page before this one was in the call. */
export const ENDED_BY_RELOAD = 'Reloading the page ended your call. Join again with one click.';

export function wireCalls({
  selfId,
  selfName,
  all,
  listed,
  pc: pcOf,
  members,
  silence,
  memory,
  ignored,
}: CallWiringOptions) {
  const callsView = createCallsView({
    join: (video) => void calls.join(video),
    mute: () => calls.toggleMute(),
    camera: () => void calls.toggleCamera(),
    screen: (alongside) => void calls.toggleScreen(alongside),
    leave: () => calls.leave(),
    device: (kind, deviceId) => void calls.switchDevice(kind, deviceId),
    quality: async (peerId) => describeQuality(await callQuality(peerId)),
  });
  const calls = createCalls({
    selfId,
    members: all,
    changed: () => renderCall(),
    notify(text) {
      endedSaid = false;
      callsView.message(text);
    },
    deviceMemory: { load: loadDevice, save: saveDevice },
  });

  /** Redraws the call (tiles, controls) on the next frame, with whatever has changed by then. */
  const renderCall = perFrame(drawCall);
  /**
   * The call area last drew a running call (members in it, or us). (A check of the server
   * settled, a "not responding" decided: the page draws the call again, as the member list:
   * wiring/status.ts.)
   */
  let callDrawn = false;
  // A member ignored, or no longer: its tile is muted and hidden, or heard and seen, at once.
  ignored?.changed(() => {
    if (callDrawn) renderCall();
  });

  /** Whether we were in the call when memory was last told. */
  let inCall = false;
  /** The call area says ENDED_BY_RELOAD: until we join or that call ends (any other message replaces it). */
  let endedSaid = false;
  /** Since it was said, a call was seen running (members in it): its end ends the message too. */
  let callSeen = false;

  function drawCall(): void {
    callDrawn = calls.running();
    if (calls.self().inCall !== inCall) {
      inCall = calls.self().inCall;
      memory?.inCall(inCall);
      if (inCall && endedSaid) callsView.message(null);
      endedSaid = false;
    }
    const list = listed();
    const paths = new Map(list.map((m) => [m.id, m.path?.relayed ?? false]));
    // The direct link's state (the member list says 'relayed' while a relay is in use).
    const links = new Map([...all()].map((m) => [m.id, m.state]));
    const participants = calls.participants();
    if (endedSaid && participants.length > 0) callSeen = true;
    else if (endedSaid && callSeen) {
      // The call the reload ended is over: "Join again" would start a new one.
      callsView.message(null);
      endedSaid = false;
    }
    members.setDoing(
      'call',
      participants.map((p) => p.id),
    );
    callsView.render({
      supported: calls.supported(),
      busy: calls.busy(),
      self: calls.self(),
      cameraOn: calls.cameraOn(),
      cameraOpening: calls.cameraOpening(),
      selfName: selfName(),
      preview: calls.preview(),
      screenPreview: calls.screenPreview(),
      participants,
      devices: calls.devices(),
      relayed: (peerId) => paths.get(peerId) ?? false,
      silence,
      ignored: (peerId) => ignored?.has(peerId) ?? false,
      throughOthers: list.flatMap((m) =>
        m.visible && m.via ? [{ name: m.name, via: m.via.name, repairing: links.get(m.id) === 'reconnecting' }] : [],
      ),
    });
  }

  async function callQuality(peerId: string): Promise<MediaQuality | null> {
    const pc = pcOf(peerId);
    return pc ? incomingVideoQuality(pc) : null;
  }

  return {
    calls,
    renderCall,
    /** The call area last drew a running call: members' changes redraw it while this holds. */
    drawn: (): boolean => callDrawn,
    callQuality,
    /** The call area's first drawing, and why calls cannot run here, if they cannot. */
    start(): void {
      renderCall();
      if (!calls.supported()) callsView.message(MEDIA_PROBLEM_TEXT.insecure);
      else if (memory?.wasInCall()) {
        callsView.message(ENDED_BY_RELOAD);
        endedSaid = true;
      }
    },
  };
}
