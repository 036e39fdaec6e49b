// The W3C "perfect negotiation" pattern (webrtc-pc §10.1, MDN "Perfect negotiation"), kept
// apart from the application and identical on both peers. Either side may start an offer
// at any time (a new channel, restartIce()); when offers collide, the polite peer rolls its
// own back and accepts the other, the impolite peer ignores the incoming one.
import type { IceCandidate, SessionDescription } from '../protocol/index.ts';

export interface SignalOut {
  description?: SessionDescription;
  candidate?: IceCandidate;
}

export interface Negotiator {
  /** Feed one incoming signal. Signals are applied strictly in arrival order. */
  receive(signal: SignalOut): void;
  /**
   * Restart ICE through a fresh offer. An offer of ours still waiting for its answer is
   * rolled back first: it was probably lost with the signaling connection, and
   * negotiationneeded (hence the new offer) only fires from 'stable'.
   */
  restartIce(): void;
}

/**
 * How long the side that did not start the link waits for the other's first offer before
 * making one itself (the offer may have been lost with a signaling connection).
 */
const FIRST_OFFER_WAIT_MS = 3_000;

export interface NegotiatorOptions {
  pc: RTCPeerConnection;
  polite: boolean;
  /**
   * Whether this side makes the first offer. Perfect negotiation would resolve two first
   * offers, but Chromium sometimes never gathers candidates after rolling back an offer that
   * was still gathering (seen in 3 of 8 three-user runs here). So the newcomer offers and
   * the member already in the room waits; after that, either side may offer at any time.
   */
  initiator: boolean;
  send(signal: SignalOut): void;
  onError(stage: string, error: unknown): void;
}

export function createNegotiator({ pc, polite, initiator, send, onError }: NegotiatorOptions): Negotiator {
  let makingOffer = false;
  let awaitingFirstOffer = !initiator;
  let negotiationSkipped = false;
  let ignoreOffer = false;
  let isSettingRemoteAnswerPending = false;
  // Candidates that arrive before the remote description they belong to: addIceCandidate
  // would reject them, so they wait here and are added right after the description is set.
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
      onError('offer', error);
    } finally {
      makingOffer = false;
    }
  }

  pc.addEventListener('negotiationneeded', () => {
    if (awaitingFirstOffer) {
      negotiationSkipped = true;
      return;
    }
    void makeOffer();
  });
  if (awaitingFirstOffer) {
    setTimeout(() => {
      if (!awaitingFirstOffer || pc.signalingState === 'closed') return;
      awaitingFirstOffer = false;
      if (negotiationSkipped && pc.signalingState === 'stable') void makeOffer();
    }, FIRST_OFFER_WAIT_MS);
  }

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
    ignoreOffer = !polite && offerCollision;
    if (ignoreOffer) return;
    isSettingRemoteAnswerPending = description.type === 'answer';
    // For the polite peer in a collision this implicitly rolls back its own offer.
    await pc.setRemoteDescription(description);
    isSettingRemoteAnswerPending = false;
    for (const candidate of pendingCandidates.splice(0)) await addCandidate(candidate);
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      if (pc.localDescription) send({ description: toDescription(pc.localDescription) });
    }
  }

  async function addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored are expected to fail; anything else is worth a note.
      if (!ignoreOffer) onError('candidate', error);
    }
  }

  async function apply(signal: SignalOut): Promise<void> {
    if (pc.signalingState === 'closed') return;
    if (signal.description) {
      await applyDescription(signal.description);
    } else if (signal.candidate) {
      if (!pc.remoteDescription) pendingCandidates.push(signal.candidate);
      else await addCandidate(signal.candidate);
    }
  }

  return {
    receive(signal) {
      chain = chain.then(() => apply(signal)).catch((error: unknown) => onError('signal', error));
    },
    restartIce() {
      chain = chain
        .then(async () => {
          if (pc.signalingState === 'closed') return;
          awaitingFirstOffer = false;
          if (pc.signalingState === 'have-local-offer' && !makingOffer) {
            await pc.setLocalDescription({ type: 'rollback' });
          }
          pc.restartIce();
        })
        .catch((error: unknown) => onError('restart', error));
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

/** The DTLS fingerprints an SDP announces, normalised; a changed set means a new remote session. */
export function sdpFingerprints(sdp: string | undefined): string {
  if (!sdp) return '';
  const lines = sdp.match(/^a=fingerprint:.*$/gm) ?? [];
  return [...new Set(lines.map((l) => l.slice('a=fingerprint:'.length).trim().toLowerCase()))].sort().join(',');
}
