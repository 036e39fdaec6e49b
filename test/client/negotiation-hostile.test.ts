// A member's absurd descriptions (issue 13, bad input: "renegotiate with absurd SDP"): the
// browser refuses to apply them; the link's negotiator reports each refusal (link.ts shows it
// as "negotiation failed" on that member's entry), answers nothing, keeps taking signals, and
// another member's link, with a negotiator of its own, negotiates as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNegotiator, MAX_PENDING_CANDIDATES, type NegotiationStage } from '../../client/negotiation.ts';

/** The parts of RTCPeerConnection a negotiator uses; descriptions it cannot parse are refused, as Chromium does. */
function fakePc() {
  const pc = {
    signalingState: 'stable' as RTCSignalingState,
    localDescription: null as RTCSessionDescriptionInit | null,
    remoteDescription: null as RTCSessionDescriptionInit | null,
    pendingLocalDescription: null,
    currentLocalDescription: null,
    currentRemoteDescription: null,
    applied: [] as RTCSessionDescriptionInit[],
    addEventListener() {},
    async setRemoteDescription(description: RTCSessionDescriptionInit) {
      if (!description.sdp?.startsWith('v=0')) throw new Error('Failed to parse SessionDescription');
      pc.applied.push(description);
      pc.remoteDescription = description;
      pc.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    },
    async setLocalDescription() {
      pc.localDescription = { type: 'answer', sdp: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n' };
      pc.signalingState = 'stable';
    },
    added: 0,
    async addIceCandidate() {
      pc.added += 1;
    },
    restartIce() {},
  };
  return pc;
}

function negotiatorFor(pc: ReturnType<typeof fakePc>) {
  const sent: unknown[] = [];
  const failures: NegotiationStage[] = [];
  const negotiator = createNegotiator({
    pc: pc as unknown as RTCPeerConnection,
    polite: true,
    offersFirst: false,
    send: (signal) => sent.push(signal),
    onFailure: (stage) => failures.push(stage),
  });
  return { negotiator, sent, failures };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("a member's absurd offers are each refused and reported, nothing is answered, and another member's link negotiates as before", async () => {
  const malloryPc = fakePc();
  const mallory = negotiatorFor(malloryPc);
  const bobPc = fakePc();
  const bob = negotiatorFor(bobPc);

  for (let i = 0; i < 50; i++) {
    mallory.negotiator.receive({ description: { type: 'offer', sdp: `not a description ${i}` } });
    mallory.negotiator.receive({ candidate: { candidate: 'candidate:junk', sdpMid: '0', sdpMLineIndex: 0 } });
  }
  bob.negotiator.receive({ description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } });
  await settle();

  assert.deepEqual(mallory.failures, Array(50).fill('remote-description'), 'each absurd offer is reported');
  assert.deepEqual(malloryPc.applied, [], 'none was applied');
  assert.deepEqual(mallory.sent, [], 'nothing answered to them');
  assert.deepEqual(bob.failures, []);
  assert.equal(bobPc.applied.length, 1);
  assert.deepEqual(bob.sent, [{ description: { type: 'answer', sdp: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n' } }]);

  // After all that, a sane offer on the hostile link is still taken: the chain goes on.
  mallory.negotiator.receive({ description: { type: 'offer', sdp: 'v=0\r\no=- 3 2 IN IP4 127.0.0.1\r\n' } });
  await settle();
  assert.equal(malloryPc.applied.length, 1);
  assert.equal(mallory.sent.length, 1);
});

test('candidates sent before any description are kept up to a bound, then added once one comes', async () => {
  const pc = fakePc();
  const { negotiator, sent } = negotiatorFor(pc);
  // A member that never offers but keeps sending candidates (the server lets 50 a second through).
  for (let i = 0; i < MAX_PENDING_CANDIDATES * 10; i++)
    negotiator.receive({ candidate: { candidate: `candidate:${i} 1 udp 1 192.0.2.1 ${1000 + i} typ host` } });
  await settle();
  assert.equal(pc.added, 0, 'nothing added without a remote description');

  negotiator.receive({ description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } });
  negotiator.receive({ candidate: { candidate: 'candidate:after 1 udp 1 192.0.2.1 9 typ host' } });
  await settle();
  assert.equal(pc.added, MAX_PENDING_CANDIDATES + 1, 'the kept ones, then the one after the offer');
  assert.equal(sent.length, 1, 'the offer is answered');
});
