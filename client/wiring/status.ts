// The page's status and our own outages: what the socket says (connecting, joined,
// reconnecting, a refusal's reason), overridden by "you seem offline" while our own
// network is gone (outage.ts); the member list keeping everyone listed meanwhile, and
// while a silence may be ours; the chat's "not responding" held back as long (silence
// notices), and the call's with it; and,
// back from an outage, the lines missed meanwhile asked for (catch-up.ts). Separate from
// main.ts because it owns that state (the socket's status, the outage watch, the
// catch-up decision); the page only tells it what changed.
import type { ProtocolError } from '../../protocol/index.ts';
import { createCatchUpDecision } from '../features/catch-up.ts';
import type { MemberView } from '../member.ts';
import { WHILE_OFFLINE } from '../member-problems.ts';
import { createOutageWatch, createSilenceNotices, PROBE_TIMEOUT_MS } from '../outage.ts';
import type { SignalingStatus } from '../signaling.ts';
import { type Silence, silenceOf } from '../view/call-silence.ts';
import type { PageView } from '../view/page.ts';

export interface StatusOptions {
  /** The page's status line, and what needs a room (bound lazily: the page view comes later). */
  page: Pick<PageView, 'setStatus' | 'setOutside'>;
  /** The members as listed now, and whether each is heard. */
  listed(): MemberView[];
  /**
   * Our outage began or ended, or whose a member's silence is came to be known (a check of
   * the server settled, a "not responding" held back is decided): the member list and the
   * call are drawn again at once.
   */
  redraw(): void;
  /** Back from an outage: our lines' receipts go on. */
  back(): void;
  /** Asks the members here for the lines written since `since` (features/history.ts). */
  catchUp(since: number): void;
}

export function wireStatus({ page, listed, redraw, back, catchUp: askSince }: StatusOptions) {
  /** The socket's state, and its words when they are not the usual ones (a refusal's reason). */
  let signalingStatus: SignalingStatus = 'connecting';
  let statusDetail: string | undefined;
  /** The page status: that we seem offline, before anything the socket says. */
  function showStatus(): void {
    if (outage.offline()) page.setStatus('offline');
    else page.setStatus(signalingStatus, statusDetail);
  }

  /** Our own outage (outage.ts): said in the page status, members kept listed, lines queued. */
  const outage = createOutageWatch({
    // Any answer from the server will do: it is our path to it that is in question.
    probe: () =>
      fetch('/healthz', { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
        () => true,
        () => false,
      ),
    changed(offline) {
      showStatus();
      redraw();
      if (offline) {
        catchUp.wentAway();
        return;
      }
      back();
      cameBack();
    },
  });
  const silenceNotices = createSilenceNotices(outage);
  outage.afterCheck(redraw);
  silenceNotices.afterHold(redraw);
  function watchOutage(): void {
    outage.update({
      browserOnline: navigator.onLine,
      socketUp: signalingStatus === 'joined',
      members: listed().map((m) => ({ id: m.id, heard: m.state === 'connected' || m.state === 'relayed' })),
    });
  }

  /** Back from an outage of ours: the lines missed meanwhile are asked for (catch-up.ts). */
  const catchUp = createCatchUpDecision();
  function cameBack(): void {
    const plan = catchUp.cameBack();
    if (plan)
      setTimeout(() => {
        const since = catchUp.run();
        if (since !== null) askSince(since);
      }, plan.afterMs);
  }

  return {
    outage,
    silenceNotices,
    /** Whose a member's silence is: the member list and the call's tiles and status go by it. */
    silence: silenceOf(outage, silenceNotices),
    watchOutage,
    cameBack,
    /** The socket's status changed (signaling.ts), with the error of a refusal. */
    signalingChanged(status: SignalingStatus, error?: ProtocolError): void {
      signalingStatus = status;
      statusDetail = statusWords(status, error);
      if (status === 'reconnecting' || status === 'reclaiming' || status === 'refused' || status === 'cut')
        catchUp.wentAway();
      watchOutage();
      showStatus();
      // Kept out of the room: nothing may look as if it reached anyone. A connection lost
      // meanwhile (reconnecting) leaves us out all the same, until we are in. (After the
      // status: its "Try again" is where the keyboard goes from the message box.)
      // So is a tab another took our place from: its links go to that tab now.
      if (status === 'refused' || status === 'rejected' || status === 'replaced') page.setOutside(true);
      else if (status === 'joined') page.setOutside(false);
    },
  };
}

/**
 * The status line's words when they are not the usual ones (view/status-line.ts
 * STATUS_TEXT): why the server keeps us out, and for a room full, how many it holds; how
 * long our earlier connection may still hold our place.
 */
export function statusWords(status: SignalingStatus, error?: ProtocolError): string | undefined {
  if (error === undefined) return undefined;
  if (status === 'rejected') return `Could not join: ${error.message}.`;
  if (status === 'refused' && error.code === 'room_full') {
    const full =
      error.maxRoomSize === undefined
        ? `This room is full (${error.message})`
        : `This room is full: it holds ${error.maxRoomSize} members at most`;
    return `${full}, and you are not in it. You will join by yourself as soon as someone leaves.`;
  }
  if (status === 'refused') return `You are not in this room yet: ${error.message}. Trying again by itself…`;
  if (status === 'reclaiming' && error.resuming !== true && error.retryAfterMs !== undefined) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return `Rejoining: the server still counts your earlier connection as here, for up to ${seconds} s more. Chat still works with connected members.`;
  }
  return undefined;
}

/**
 * How the member list shows a member, by whose its silence is (silenceOf, as the call's tiles
 * and status): while we seem offline, one we cannot hear as out of our reach, not as gone;
 * while that is not known yet (its "not responding" held back, a check of the server under
 * way), a member silent on its link as it is (reconnecting), not hidden as if it had left; its
 * own silence, hidden until it is heard again (member-view.ts). Hidden at once, the list
 * emptied in the first seconds of our own outage, while the call still named everyone.
 */
export function listedAs(member: MemberView, silence: Silence): MemberView {
  if (silence === 'ours') return whileOffline(member);
  if (silence === 'unknown' && !member.visible) return { ...member, visible: true };
  return member;
}

/** A member we cannot hear while we seem offline: listed as out of our reach, not as gone. */
function whileOffline(member: MemberView): MemberView {
  if (member.state === 'connected' || member.state === 'relayed') return member;
  return { ...member, visible: true, state: 'unreachable', via: null, path: null, reason: WHILE_OFFLINE };
}
