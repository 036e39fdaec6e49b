// The chat model on its own: nothing typed is lost while a channel opens, reopens or is
// full, duplicates are dropped, and acks free the outbox.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { type ChatLine, createChat } from '../client/chat.ts';
import type { ChannelMessage } from '../protocol/index.ts';

function harness() {
  const open = new Set<string>();
  const wire: Array<{ to: string; message: ChannelMessage }> = [];
  const shown: ChatLine[] = [];
  const chat = createChat({
    selfId: () => 'me-000000001',
    transmit(to, message) {
      if (!open.has(to)) return false;
      wire.push({ to, message });
      return true;
    },
    display: (line) => shown.push(line),
  });
  return { chat, open, wire, shown };
}

const chatIds = (wire: Array<{ message: ChannelMessage }>) =>
  wire.flatMap(({ message }) => (message.t === 'chat' ? [message.text] : []));

test('a message written before the channel opens is delivered when it opens', () => {
  const { chat, open, wire } = harness();
  chat.addPeer('peer-0000001');
  chat.send('first');
  chat.send('second');
  assert.deepEqual(wire, []);
  open.add('peer-0000001');
  chat.channelOpened('peer-0000001');
  assert.deepEqual(chatIds(wire), ['first', 'second']);
});

test('unacknowledged messages are sent again on a new channel; acknowledged ones are not', () => {
  const { chat, open, wire } = harness();
  chat.addPeer('peer-0000001');
  open.add('peer-0000001');
  chat.channelOpened('peer-0000001');
  chat.send('a');
  chat.send('b');
  const first = wire[0]?.message;
  assert.ok(first?.t === 'chat');
  chat.receive('peer-0000001', { t: 'ack', ids: [first.id] });
  assert.equal(chat.pending('peer-0000001'), 1);
  wire.length = 0;
  chat.channelOpened('peer-0000001'); // e.g. a replaced link after the peer reloaded
  assert.deepEqual(chatIds(wire), ['b']);
});

test('a full channel keeps the rest queued, in order, until flushed', () => {
  const { chat, open, wire } = harness();
  chat.addPeer('peer-0000001');
  chat.send('1');
  chat.send('2');
  chat.send('3');
  open.add('peer-0000001');
  chat.flush('peer-0000001');
  assert.deepEqual(chatIds(wire), ['1', '2', '3']);
});

test('a duplicate is acknowledged again but shown once; acks travel together', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { chat, open, wire, shown } = harness();
    chat.addPeer('peer-0000001');
    open.add('peer-0000001');
    const message = { t: 'chat', id: 'abcdefghijklmnopqrstu', ts: 1, text: 'hi' } as const;
    const other = { t: 'chat', id: 'bcdefghijklmnopqrstuv', ts: 2, text: 'there' } as const;
    chat.receive('peer-0000001', message);
    chat.receive('peer-0000001', message);
    chat.receive('peer-0000001', other);
    assert.equal(shown.filter((l) => l.kind === 'chat').length, 2);
    assert.equal(wire.length, 0, 'acks wait a moment');
    mock.timers.tick(100);
    assert.deepEqual(
      wire.map((w) => w.message),
      [{ t: 'ack', ids: [message.id, message.id, other.id] }],
    );
  } finally {
    mock.timers.reset();
  }
});

test('empty and oversized messages are not sent', () => {
  const { chat } = harness();
  assert.equal(chat.send('   '), null);
  assert.equal(chat.send('x'.repeat(4001)), null);
});
