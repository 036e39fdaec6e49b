// A stand-in RTCPeerConnection and its negotiated chat channel, for tests of client/link.ts:
// the test plays the channel opening and messages arriving by dispatching their events.
import type { TestContext } from 'node:test';
import { createLink, type Link } from '../../client/link.ts';

export class FakeChannel extends EventTarget {
  readyState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readonly sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 'closed';
  }
}

export class FakePeerConnection extends EventTarget {
  static made: FakePeerConnection[] = [];
  readonly channel = new FakeChannel();
  connectionState = 'new';
  signalingState = 'stable';
  iceGatheringState = 'new';
  localDescription = null;
  remoteDescription = null;
  currentLocalDescription = null;
  currentRemoteDescription = null;
  pendingLocalDescription = null;
  constructor() {
    super();
    FakePeerConnection.made.push(this);
  }
  createDataChannel(): FakeChannel {
    return this.channel;
  }
  getConfiguration(): RTCConfiguration {
    return {};
  }
  setConfiguration(): void {}
  restartIce(): void {}
  close(): void {}
}

/**
 * A link (client/link.ts) on a stand-in RTCPeerConnection, with what it tells the member as
 * words in `said` ('open', a message's type, 'malformed <size>', 'closed'…). Closed, and the
 * stand-in removed, after the test.
 */
export function fakeRtcLink(t: TestContext): { link: Link; channel: FakeChannel; said: string[] } {
  Object.assign(globalThis, { RTCPeerConnection: FakePeerConnection });
  const said: string[] = [];
  const link = createLink({
    polite: true,
    offersFirst: false,
    rtcConfig: () => ({}),
    beforeRestart: async () => {},
    unreachableReason: () => ({ code: 'no-turn', text: 'no path' }),
    events: {
      signal: () => {},
      state: () => {},
      open: () => said.push('open'),
      message: (message) => said.push(message.t),
      malformed: (size) => said.push(`malformed ${size}`),
      drain: () => {},
      closed: () => said.push('closed'),
      silent: () => said.push('silent'),
      heard: () => said.push('heard'),
      dataChannel: () => {},
      track: () => {},
    },
  });
  t.after(() => {
    link.close();
    Reflect.deleteProperty(globalThis, 'RTCPeerConnection');
  });
  const { channel } = FakePeerConnection.made.at(-1) as FakePeerConnection;
  return { link, channel, said };
}
