// When a member's link counts as silent (client/link.ts): when nothing at all has come from
// it for the heartbeat's timeout, not when its pings stop. A hostile member that withholds
// its pings but keeps writing is heard: never "not responding", and ICE is not restarted
// under it; one that goes quiet altogether is silent after the timeout. On a stand-in
// RTCPeerConnection and channel, with the timers and the clock the test moves.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { HEARTBEAT_CHECK_MS, HEARTBEAT_TIMEOUT_MS } from '../../client/heartbeat.ts';
import { encodeChannelMessage } from '../../protocol/index.ts';
import { fakeRtcLink } from './fake-rtc.ts';

test('a member that sends no pings but keeps writing is heard; one quiet altogether is silent after the timeout', (t) => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'] });
  mock.method(performance, 'now', () => Date.now());
  t.after(() => {
    mock.timers.reset();
    mock.restoreAll();
  });
  const { link, channel, said } = fakeRtcLink(t);
  channel.readyState = 'open';
  channel.dispatchEvent(new Event('open'));
  const line = (n: number) =>
    encodeChannelMessage({ t: 'chat', id: `mallory-line-${String(n).padStart(6, '0')}`, ts: Date.now(), text: 'hi' });
  // A minute of lines, one every 3 s (inside the timeout), and not a single ping.
  for (let n = 0; n < 20; n++) {
    for (let waited = 0; waited < 3_000; waited += HEARTBEAT_CHECK_MS) mock.timers.tick(HEARTBEAT_CHECK_MS);
    channel.dispatchEvent(new MessageEvent('message', { data: line(n) }));
  }
  assert.deepEqual(
    said.filter((event) => event !== 'chat'),
    ['open'],
    'never silent',
  );
  assert.equal(link.open, true);
  const ours = channel.sent.filter((data) => data.includes('"ping"')).length;
  assert.ok(ours >= 55, `we kept pinging a member we hear (${ours} pings)`);
  // Then nothing at all: silent once the timeout has passed.
  for (let waited = 0; waited <= HEARTBEAT_TIMEOUT_MS + HEARTBEAT_CHECK_MS; waited += HEARTBEAT_CHECK_MS) {
    mock.timers.tick(HEARTBEAT_CHECK_MS);
  }
  assert.equal(said.at(-1), 'silent');
  assert.equal(link.open, false);
});
