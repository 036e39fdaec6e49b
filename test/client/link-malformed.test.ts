// What a member's link says of a message that does not parse (client/link.ts): it is told,
// with its size as received, so that the member's budget charges it as any other message
// (a flood of them froze a page for 35-49 s when they were dropped uncharged). What was on
// its way when the link was closed (a flooder cut) is not read at all. On a stand-in
// RTCPeerConnection and channel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeChannelMessage } from '../../protocol/index.ts';
import { fakeRtcLink } from './fake-rtc.ts';

test('a message that does not parse is told with its size, binary and oversize too; nothing is read once the link is closed', (t) => {
  const { link, channel, said } = fakeRtcLink(t);
  channel.readyState = 'open';
  channel.dispatchEvent(new Event('open'));
  const arrive = (data: unknown) => channel.dispatchEvent(new MessageEvent('message', { data }));
  const nested = `${'['.repeat(16_000)}${']'.repeat(16_000)}`;
  arrive(nested);
  arrive('{"t":"nosuchtype"}');
  arrive('{"t":"ping","n":1,"extra":[]}');
  arrive(new ArrayBuffer(100));
  arrive('x'.repeat(40_000));
  arrive(encodeChannelMessage({ t: 'ping', n: 2 }));
  assert.deepEqual(said, [
    'open',
    'malformed 32000',
    'malformed 18',
    'malformed 29',
    'malformed 100',
    'malformed 40000',
    'ping',
  ]);
  link.close();
  arrive(encodeChannelMessage({ t: 'ping', n: 3 }));
  arrive(nested);
  assert.equal(said.length, 7, 'the closed link read nothing more');
});
