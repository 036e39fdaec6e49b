// The W3C "perfect negotiation" pattern (webrtc-pc §10.1, MDN "Perfect negotiation"), kept
// apart from the application and identical on both peers. Either side may start an offer
// at any time (a new channel, restartIce()); when offers collide, the polite peer rolls its
// own back and accepts the other, the impolite peer ignores the incoming one.
import type { IceCandidate, SessionDescription } from '../protocol/index.ts';

/** What a signal carries, either way: one description or one candidate (no addressing). */
export interface SignalBody {
  description?: SessionDescription;
  candidate?: IceCandidate;
}

export interface Negotiator {
  /** Feed one incoming signal. Signals are applied strictly in arrival order. */
  receive(signal: SignalBody): void;
  /**
   * Restart ICE through a fresh offer; on the side that waits for the first offer, nothing
   * until that offer came. An offer of ours still waiting for its answer (its
   * answer, or the offer itself, was probably lost with the signaling connection) is made
   * again with new ICE credentials, not rolled back: the other side may have applied it and
   * stand on its m-lines, and after a rollback the browser would give the same transceivers
   * new mids, an offer that side must reject ("order of m-lines ... doesn't match").
   */
  restartIce(): void;
  /**
   * Our offer still waiting for its answer goes again, as it is (a link that works: a call's
   * m-lines, say). Made while our signaling was down, or sent to a member whose signaling
   * was, it was dropped on the way, and nothing else would send it: the link is open, so no
   * restart comes. Nothing when no offer of ours waits.
   */
  resendOffer(): void;
}

export interface NegotiatorOptions {
  pc: RTCPeerConnection;
  polite: boolean;
  /** Whether this side makes the first offer (roles.ts), at once; the other waits for it. */
  offersFirst: boolean;
  send(signal: SignalBody): void;
  /**
   * A remote description could not be applied, or our own could not be made: this link
   * cannot work as negotiated. Candidates that fail are not reported (see addCandidate).
   */
  onFailure(stage: NegotiationStage, error: unknown): void;
  /** ICE was restarted (not a restart skipped while the first offer is awaited): for counters. */
  onRestart?(): void;
}

export type NegotiationStage = 'offer' | 'answer' | 'remote-description' | 'restart';

/**
 * Candidates kept while no remote description is set. A browser gathers a few per network
 * interface and ICE server (host, server-reflexive, relayed over UDP, TCP and TLS): tens on
 * a well-connected machine, so this keeps every honest one and drops the rest.
 */
export const MAX_PENDING_CANDIDATES = 200;

export function createNegotiator({
  pc,
  polite,
  offersFirst,
  send,
  onFailure,
  onRestart,
}: NegotiatorOptions): Negotiator {
  let makingOffer = false;
  // The side that does not offer first ignores its own negotiationneeded (fired by the
  // negotiated data channel) until the first offer arrives. Should that offer be lost, the
  // first offerer's own retry makes it again (link.ts: its restartIce from have-local-offer
  // offers below). This side's restart does nothing until then (restartIce below): there is
  // no ICE to restart yet, and an offer from here would collide with that first offer, the
  // rollback roles.ts keeps the first exchange away from. (Clearing this flag on a restart
  // made a link restarted in the task that made it — a rejoin — offer on the
  // negotiationneeded its channel had queued.)
  let awaitingFirstOffer = !offersFirst;
  let ignoreOffer = false;
  let isSettingRemoteAnswerPending = false;
  // Candidates that arrive before the remote description they belong to: addIceCandidate
  // would reject them, so they wait here and are added right after the description is set.
  // At most MAX_PENDING_CANDIDATES: a member that sends candidates and never a description
  // would otherwise grow this for as long as the server lets its signals through.
  const pendingCandidates: RTCIceCandidateInit[] = [];
  // Signal handling is asynchronous; a chain keeps a candidate from overtaking its offer.
  let chain: Promise<void> = Promise.resolve();

  async function makeOffer(): Promise<void> {
    try {
      makingOffer = true;
      // No argument: the browser creates the right description for the current state.
      await pc.setLocalDescription();
      if (pc.localDescription) send({ description: toDescription(pc.localDescription) });
    } catch (error) {
      onFailure('offer', error);
    } finally {
      makingOffer = false;
    }
  }

  pc.addEventListener('negotiationneeded', () => {
    // Already making one (the first offer starts below without waiting for this event): the
    // browser fires the event again once stable if that offer did not cover everything.
    if (awaitingFirstOffer || makingOffer) return;
    void makeOffer();
  });

  pc.addEventListener('icecandidate', ({ candidate }) => {
    // A null or empty candidate marks the end of gathering: nothing to send (trickle ICE).
    if (candidate?.candidate) send({ candidate: toCandidate(candidate) });
  });

  async function applyDescription(description: SessionDescription): Promise<void> {
    awaitingFirstOffer = false;
    // An offer collides with ours when we are making one or are not stable — unless the
    // only thing in flight is setting the answer to our own offer, which will settle.
    const readyForOffer = !makingOffer && (pc.signalingState === 'stable' || isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    // An answer with no offer of ours waiting (we rolled ours back, yielding in a collision)
    // has nothing to answer, and applying it would fail; one to an offer that restartIce
    // has since made again would be applied to the wrong offer. Either way the answer to
    // the offer we hold follows.
    if (
      description.type === 'answer' &&
      (pc.signalingState !== 'have-local-offer' || isAnswerToAnEarlierOffer(description))
    )
      return;
    ignoreOffer = !polite && offerCollision;
    if (ignoreOffer) return;
    isSettingRemoteAnswerPending = description.type === 'answer';
    try {
      // For the polite peer in a collision this implicitly rolls back its own offer.
      await pc.setRemoteDescription(description);
    } catch (error) {
      onFailure('remote-description', error);
      return;
    } finally {
      // Reset on failure too: a stuck flag would make every later offer look like a collision.
      isSettingRemoteAnswerPending = false;
    }
    for (const candidate of pendingCandidates.splice(0)) await addCandidate(candidate);
    if (description.type === 'offer') {
      try {
        await pc.setLocalDescription();
      } catch (error) {
        onFailure('answer', error);
        return;
      }
      if (pc.localDescription) send({ description: toDescription(pc.localDescription) });
    }
  }

  /**
   * An answer that a slow signaling path delivers after restartIce made our pending offer
   * again: it answers the offer before, and applied to the restart offer it would leave us
   * with the other side's old ICE credentials (and the real answer, arriving next, ignored as
   * one with no offer). An answer to an ICE restart always brings new credentials, so one
   * with the credentials we already hold, while our pending offer restarts ICE, is that old one.
   */
  function isAnswerToAnEarlierOffer(answer: SessionDescription): boolean {
    const pending = iceUfrag(pc.pendingLocalDescription?.sdp);
    const current = iceUfrag(pc.currentLocalDescription?.sdp);
    const remote = iceUfrag(pc.currentRemoteDescription?.sdp);
    const restarting = pending !== '' && current !== '' && pending !== current;
    return restarting && remote !== '' && iceUfrag(answer.sdp) === remote;
  }

  async function addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored are expected to fail. Others may fail harmlessly
      // too (a candidate for an m-line rolled back meanwhile); ICE works with the rest.
      if (!ignoreOffer) console.debug('roomlink: candidate not added', error);
    }
  }

  async function apply(signal: SignalBody): Promise<void> {
    if (pc.signalingState === 'closed') return;
    if (signal.description) {
      await applyDescription(signal.description);
    } else if (signal.candidate) {
      if (pc.remoteDescription) await addCandidate(signal.candidate);
      else if (pendingCandidates.length < MAX_PENDING_CANDIDATES) pendingCandidates.push(signal.candidate);
    }
  }

  // The first offer starts now, not on negotiationneeded: that event is a task of its own,
  // and a page drawing its member list and first lines ran a whole frame (40–130 ms, a
  // timeline of a room of two) between making the link and offering on it. The link's
  // channel exists already (link.ts makes it first), so this offer carries it.
  if (offersFirst) void makeOffer();
  return {
    receive(signal) {
      chain = chain.then(() => apply(signal)).catch((error: unknown) => onFailure('remote-description', error));
    },
    restartIce() {
      chain = chain
        .then(async () => {
          if (pc.signalingState === 'closed' || awaitingFirstOffer) return;
          pc.restartIce();
          onRestart?.();
          // negotiationneeded fires only from 'stable'; from 'have-local-offer' we offer
          // ourselves (an offer being made right now is answered first, then the restart
          // follows through negotiationneeded).
          if (pc.signalingState === 'have-local-offer' && !makingOffer) await makeOffer();
        })
        .catch((error: unknown) => onFailure('restart', error));
    },
    resendOffer() {
      chain = chain.then(() => {
        if (pc.signalingState !== 'have-local-offer' || makingOffer || !pc.localDescription) return;
        send({ description: toDescription(pc.localDescription) });
      });
    },
  };
}

function toDescription(description: RTCSessionDescription): SessionDescription {
  return { type: description.type, sdp: description.sdp };
}

function toCandidate(candidate: RTCIceCandidate): IceCandidate {
  const out: IceCandidate = { candidate: candidate.candidate };
  if (candidate.sdpMid !== null) out.sdpMid = candidate.sdpMid;
  if (candidate.sdpMLineIndex !== null) out.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment !== null) out.usernameFragment = candidate.usernameFragment;
  return out;
}

/** The ICE username fragment an SDP announces (the first; bundled m-lines share it), or ''. */
export function iceUfrag(sdp: string | undefined): string {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1] ?? '';
}

/** The DTLS fingerprints an SDP announces, normalised; a changed set means a new remote session. */
export function sdpFingerprints(sdp: string | undefined): string {
  if (!sdp) return '';
  const lines = sdp.match(/^a=fingerprint:.*$/gm) ?? [];
  return [...new Set(lines.map((l) => l.slice('a=fingerprint:'.length).trim().toLowerCase()))].sort().join(',');
}
