// The chat feature on its own, against a stand-in member: nothing typed is lost while a
// channel opens, reopens or is full, duplicates are dropped, and acks free the outbox.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { MemberHandle, SlotKey } from '../../client/feature.ts';
import { type ChatLine, createChat } from '../../client/features/chat.ts';
import type { ChannelMessage } from '../../protocol/index.ts';

interface FakeMember extends MemberHandle {
  isOpen: boolean;
  wire: ChannelMessage[];
}

function fakeMember(id: string): FakeMember {
  const slots = new Map<SlotKey<unknown>, unknown>();
  const member: FakeMember = {
    id,
    name: id,
    state: 'connected',
    verification: 'unverified',
    disposed: false,
    isOpen: false,
    wire: [],
    get open() {
      return member.isOpen;
    },
    get writable() {
      return member.isOpen;
    },
    send(message) {
      if (!member.isOpen) return false;
      member.wire.push(message);
      return true;
    },
    slot<T>(key: SlotKey<T>): T {
      if (!slots.has(key)) slots.set(key, key.init());
      return slots.get(key) as T;
    },
    pc: {} as RTCPeerConnection,
  };
  return member;
}

function harness() {
  const peer = fakeMember('peer-0000001');
  const shown: ChatLine[] = [];
  const chat = createChat({ selfId: () => 'me-000000001', members: () => [peer], display: (line) => shown.push(line) });
  chat.feature.added?.(peer);
  return { chat, peer, shown };
}

const texts = (wire: ChannelMessage[]) => wire.flatMap((message) => (message.t === 'chat' ? [message.text] : []));

test('a message written before the channel opens is delivered when it opens', () => {
  const { chat, peer } = harness();
  chat.send('first');
  chat.send('second');
  assert.deepEqual(peer.wire, []);
  peer.isOpen = true;
  chat.feature.opened?.(peer);
  assert.deepEqual(texts(peer.wire), ['first', 'second']);
});

test('unacknowledged messages are sent again on a new channel; acknowledged ones are not', () => {
  const { chat, peer } = harness();
  peer.isOpen = true;
  chat.feature.opened?.(peer);
  chat.send('a');
  chat.send('b');
  const first = peer.wire[0];
  assert.ok(first?.t === 'chat');
  chat.feature.receive(peer, { t: 'ack', ids: [first.id] });
  assert.equal(chat.pending(peer), 1);
  peer.wire.length = 0;
  chat.feature.opened?.(peer); // e.g. a replaced link after the peer reloaded
  assert.deepEqual(texts(peer.wire), ['b']);
});

test('a full channel keeps the rest queued, in order, until it drains', () => {
  const { chat, peer } = harness();
  chat.send('1');
  chat.send('2');
  chat.send('3');
  peer.isOpen = true;
  chat.feature.drained?.(peer);
  assert.deepEqual(texts(peer.wire), ['1', '2', '3']);
});

test('a duplicate is acknowledged again but shown once; acks travel together', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { chat, peer, shown } = harness();
    peer.isOpen = true;
    const message = { t: 'chat', id: 'abcdefghijklmnopqrstu', ts: 1, text: 'hi' } as const;
    const other = { t: 'chat', id: 'bcdefghijklmnopqrstuv', ts: 2, text: 'there' } as const;
    chat.feature.receive(peer, message);
    chat.feature.receive(peer, message);
    chat.feature.receive(peer, other);
    assert.equal(shown.filter((l) => l.kind === 'chat').length, 2);
    assert.equal(peer.wire.length, 0, 'acks wait a moment');
    mock.timers.tick(100);
    assert.deepEqual(peer.wire, [{ t: 'ack', ids: [message.id, message.id, other.id] }]);
  } finally {
    mock.timers.reset();
  }
});

test('empty and oversized messages are not sent', () => {
  const { chat } = harness();
  assert.equal(chat.send('   '), null);
  assert.equal(chat.send('x'.repeat(4001)), null);
});
