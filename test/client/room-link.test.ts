// The room a page is in, read from its URL (room-link.ts): a malformed or repeated room id is
// reported, never swapped for another room; a damaged key is said as damaged and left in the
// address bar; a good link is kept as it is, and the share link never carries relay=1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRoomLink } from '../../client/room-link.ts';
import { roomKeyNotice } from '../../client/wiring/notices.ts';

const ROOM = 'GGGGGGGGGGGGGGGGGGGGG';
const KEY = 'abcdefghijklmnopqrstuv';

/** Resolves `href` as a page there would, with what it wrote into the address bar. */
function open(href: string) {
  const replaced: string[] = [];
  const url = new URL(href);
  const location = { href: url.href, search: url.search, hash: url.hash } as Location;
  const history = {
    replaceState(_state: unknown, _unused: string, next: string): void {
      replaced.push(next);
    },
  } as History;
  return { link: resolveRoomLink(location, history), addressBar: replaced.at(-1) ?? url.href };
}

test('a good link is kept as it is, and shared without relay=1', () => {
  const { link, addressBar } = open(`https://chat.example/?roomId=${ROOM}&relay=1#k=${KEY}`);
  assert.deepEqual([link.roomId, link.key, link.damagedKey, link.invalidRoomId], [ROOM, KEY, false, null]);
  assert.equal(addressBar, `https://chat.example/?roomId=${ROOM}&relay=1#k=${KEY}`);
  assert.equal(link.shareUrl, `https://chat.example/?roomId=${ROOM}#k=${KEY}`);
});

test('a damaged key is said as damaged, not as none, and stays in the address bar; the share link has none', () => {
  for (const fragment of ['k=short', `k=${'!'.repeat(22)}`, `k=${'x'.repeat(5_000)}`, `k%3D${KEY}`, 'k=']) {
    const { link, addressBar } = open(`https://chat.example/?roomId=${ROOM}#${fragment}`);
    assert.equal(link.key, null);
    assert.equal(link.damagedKey, true, fragment);
    assert.equal(new URL(addressBar).hash, `#${fragment}`, 'the user can compare what was pasted');
    assert.equal(link.shareUrl, `https://chat.example/?roomId=${ROOM}`);
  }
  assert.match(roomKeyNotice(false, true, true) ?? '', /is damaged: mistyped or cut short/);
  // A link with no key at all is that, as before.
  const { link } = open(`https://chat.example/?roomId=${ROOM}`);
  assert.equal(link.damagedKey, false);
  assert.match(roomKeyNotice(false, true, link.damagedKey) ?? '', /without its key/);
});

test('a room id given twice is malformed, as a mistyped one is: which room was meant cannot be told', () => {
  const twice = open(`https://chat.example/?roomId=${ROOM}&roomId=${'H'.repeat(21)}#k=${KEY}`);
  assert.equal(twice.link.invalidRoomId, `${ROOM}, ${'H'.repeat(21)}`);
  assert.equal(twice.link.roomId, '');
  const mistyped = open('https://chat.example/?roomId=garbage');
  assert.equal(mistyped.link.invalidRoomId, 'garbage');
  // None at all: a new room, with its key.
  const fresh = open('https://chat.example/');
  assert.equal(fresh.link.invalidRoomId, null);
  assert.match(fresh.addressBar, /\?roomId=[\w-]{21}#k=[\w-]{22}$/);
});
