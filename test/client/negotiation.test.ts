// Perfect negotiation's roles (client/negotiation.ts, roles.ts): the side that waits for the
// first offer never makes one before that offer came, whatever restarts it is asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNegotiator } from '../../client/negotiation.ts';

/** The parts of RTCPeerConnection the negotiator uses, with its events fired by the test. */
function fakePc() {
  const listeners = new Map<string, () => void>();
  const pc = {
    signalingState: 'stable' as RTCSignalingState,
    localDescription: null as RTCSessionDescriptionInit | null,
    remoteDescription: null as RTCSessionDescriptionInit | null,
    offers: 0,
    iceRestarts: 0,
    addEventListener: (type: string, listener: () => void) => listeners.set(type, listener),
    fire: (type: string) => listeners.get(type)?.(),
    restartIce() {
      pc.iceRestarts++;
    },
    async setRemoteDescription(description: RTCSessionDescriptionInit) {
      pc.remoteDescription = description;
      pc.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    },
    async setLocalDescription() {
      if (pc.signalingState === 'have-remote-offer') {
        pc.localDescription = { type: 'answer', sdp: 'v=0 answer' };
        pc.signalingState = 'stable';
        return;
      }
      pc.offers++;
      pc.localDescription = { type: 'offer', sdp: 'v=0 offer' };
      pc.signalingState = 'have-local-offer';
    },
    async addIceCandidate() {},
  };
  return pc;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a restart on the side that waits for the first offer makes no offer of its own, until that offer came', async () => {
  const pc = fakePc();
  const sent: string[] = [];
  let counted = 0;
  const negotiator = createNegotiator({
    pc: pc as unknown as RTCPeerConnection,
    polite: true,
    offersFirst: false,
    send: (signal) => sent.push(signal.description?.type ?? 'candidate'),
    onFailure: () => {},
    onRestart: () => counted++,
  });
  // A rejoin restarts the link in the task that made it, before the browser's
  // negotiationneeded for its negotiated channel.
  negotiator.restartIce();
  await settle();
  pc.fire('negotiationneeded');
  await settle();
  assert.equal(pc.offers, 0, 'the other side offers first: two offers would collide');
  assert.equal(pc.iceRestarts, 0, 'no ICE to restart yet');
  assert.equal(counted, 0, 'a skipped restart is not counted');

  negotiator.receive({ description: { type: 'offer', sdp: 'v=0 first offer' } });
  await settle();
  assert.deepEqual(sent, ['answer']);
  negotiator.restartIce();
  await settle();
  pc.fire('negotiationneeded');
  await settle();
  assert.equal(pc.iceRestarts, 1, 'once the link is negotiated, a restart restarts ICE');
  assert.equal(counted, 1);
  assert.deepEqual(sent, ['answer', 'offer']);
});

test('an offer still waiting for its answer goes again, as it is, when asked; nothing goes when none waits', async () => {
  const pc = fakePc();
  const sent: Array<string | undefined> = [];
  const negotiator = createNegotiator({
    pc: pc as unknown as RTCPeerConnection,
    polite: false,
    offersFirst: true,
    send: (signal) => sent.push(signal.description?.sdp),
    onFailure: () => {},
  });
  await settle();
  assert.deepEqual(sent, ['v=0 offer'], 'the first offer');
  // It was lost on the way (our signaling was down): asked again, the same offer goes.
  negotiator.resendOffer();
  await settle();
  assert.deepEqual(sent, ['v=0 offer', 'v=0 offer']);
  assert.equal(pc.offers, 1, 'not a new offer: the one the other side may already stand on');
  negotiator.receive({ description: { type: 'answer', sdp: 'v=0 answer' } });
  await settle();
  negotiator.resendOffer();
  await settle();
  assert.equal(sent.length, 2, 'answered: nothing waits, nothing goes');
});
