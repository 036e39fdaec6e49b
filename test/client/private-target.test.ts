// Private mode's one owner (client/private-target.ts): what we send goes to the chosen
// member, and when that member goes — with a "left" line, a reload, or dropped quietly, as a
// new peer id of ours drops every member — nothing goes to anyone, the choice stays (shown
// as away), and it goes to that member again once it is back under the same peer id. Only
// the user ends it. Nothing meant for one member ever goes to everyone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberHandle } from '../../client/feature.ts';
import { createMesh } from '../../client/mesh.ts';
import { createPrivateTarget, type Recipient } from '../../client/private-target.ts';
import { fakeLinkConfig, fakeLinks, noFeatures, trustingHandshake } from './fakes.ts';

function harness() {
  const here = new Map<string, MemberHandle>();
  const add = (id: string, name: string) => here.set(id, { id, name } as MemberHandle);
  const said: string[] = [];
  const shown: Array<Recipient | null> = [];
  const target = createPrivateTarget({
    member: (id) => here.get(id),
    shown: (t) => shown.push(t),
    say: (text) => said.push(text.replace(/[\u2068\u2069]/g, '')),
  });
  const names = () => shown.map((t) => (t === null ? null : `${t.name}${t.away ? ' (away)' : ''}`));
  return { here, add, said, names, target };
}

test('lines and files go to the chosen member, or to everyone', () => {
  const { add, target, names } = harness();
  add('bob', 'Bob');
  assert.deepEqual(target.destination(), { to: null });
  target.choose('bob');
  const destination = target.destination();
  assert.ok(destination !== 'gone');
  assert.equal(destination.to?.id, 'bob');
  target.choose(null);
  assert.deepEqual(target.destination(), { to: null });
  assert.deepEqual(names(), ['Bob', null]);
});

test('a member that goes (dropped quietly): nothing goes to anyone, the choice stays, and it says why', () => {
  const { here, add, target, said, names } = harness();
  add('bob', 'Bob');
  target.choose('bob');
  here.delete('bob'); // our new peer id reset every link: no "left" line for anyone
  assert.equal(target.destination(), 'gone', 'not to everyone instead');
  assert.equal(target.destination(), 'gone', 'nor the next one: private mode stays');
  assert.equal(target.current(), 'bob');
  assert.deepEqual(names(), ['Bob', 'Bob (away)']);
  assert.match(said[0] ?? '', /^Bob is no longer here\. You are still writing privately to them/);
  assert.deepEqual(said.slice(1), [
    'Bob is not here: nothing was sent, and your message is still in the box.',
    'Bob is not here: nothing was sent, and your message is still in the box.',
  ]);
  target.choose(null);
  assert.deepEqual(target.destination(), { to: null }, 'to everyone once the user chose so');
});

test('a reload: its "left" line, then back under the same peer id, and the next line goes to it alone', () => {
  const { here, add, target, said, names } = harness();
  add('bob', 'Bob');
  add('carol', 'Carol');
  target.choose('bob');
  target.membersChanged();
  assert.deepEqual(said, [], 'still here');
  here.delete('bob');
  target.left('bob', 'Bob');
  target.membersChanged();
  assert.equal(said.length, 1, 'said once');
  assert.equal(target.destination(), 'gone');
  add('bob', 'Bob'); // its tab is back, with the same peer id (its resume ticket)
  target.membersChanged();
  const destination = target.destination();
  assert.ok(destination !== 'gone');
  assert.equal(destination.to?.id, 'bob', 'to Bob alone, never to Carol');
  assert.deepEqual(names(), ['Bob', 'Bob (away)', 'Bob']);
});

test('a rename keeps the choice, under the new name, here or away', async () => {
  const { here, add, target, said, names } = harness();
  add('bob', 'Bob');
  target.choose('bob');
  add('bob', 'Robert');
  target.renamed('bob');
  here.delete('bob');
  target.membersChanged();
  await Promise.resolve(); // looked at once the task is done
  assert.deepEqual(names(), ['Bob', 'Robert', 'Robert (away)']);
  assert.match(said[0] ?? '', /^Robert is no longer here/);
});

const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';

test('our new peer id (every member dropped and listed again in one join ack) tells the chat nothing: the member we write to never left', async () => {
  const { factory } = fakeLinks();
  const said: string[] = [];
  // As main.ts wires them: mesh.changed → privateTarget.membersChanged().
  let target: ReturnType<typeof createPrivateTarget> | undefined;
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: trustingHandshake,
    router: noFeatures,
    sendSignal: () => {},
    changed: () => target?.membersChanged(),
    notice: () => {},
    returnGraceMs: 30_000,
  });
  target = createPrivateTarget({ member: (id) => mesh.member(id), shown: () => {}, say: (t) => said.push(t) });
  mesh.setSelf(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  target.choose(B);
  // Our ticket refused: the server gives us a new id; Bob is listed again in the same ack.
  mesh.setSelf('zzzzzzzzzzzz');
  mesh.sync([{ id: B, name: 'Bob' }], true);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(target.current(), B);
  assert.deepEqual(said, [], 'Bob never left');
  // Bob really goes: said once the list has settled without him.
  mesh.peerLeft({ id: B, reason: 'leave' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(said.length, 1);
  assert.match(said[0] ?? '', /Bob.* is no longer here/);
});

test('a member here that receives nothing (no room key, or held): nothing goes, and it says why', () => {
  const { here, target, said } = harness();
  here.set('eve', { id: 'eve', name: 'Eve', shut: true } as MemberHandle);
  target.choose('eve');
  // The chat would queue the line for nobody: before, Enter did nothing and said nothing.
  assert.equal(target.destination(), 'gone', 'not to everyone instead');
  assert.equal(target.current(), 'eve', 'private mode stays');
  assert.deepEqual(said, [
    'Eve can’t receive messages now (the member list says why): nothing was sent, and your message is still in the box.',
  ]);
  here.set('eve', { id: 'eve', name: 'Eve', shut: false } as MemberHandle); // a later link proved the key
  const destination = target.destination();
  assert.ok(destination !== 'gone');
  assert.equal(destination.to?.id, 'eve');
});

test('files held over the chat look again whether the member is shut, showing the choice only when that changed', () => {
  const { here, add } = harness();
  const shown: Array<boolean | undefined> = [];
  const watched = createPrivateTarget({
    member: (id) => here.get(id),
    shown: (t) => shown.push(t?.shut),
    say: () => {},
  });
  add('eve', 'Eve');
  watched.choose('eve');
  watched.refresh(); // nothing changed: not shown again (a drag's every dragover asks)
  here.set('eve', { id: 'eve', name: 'Eve', shut: true } as MemberHandle); // held since
  watched.refresh();
  watched.refresh();
  here.set('eve', { id: 'eve', name: 'Eve', shut: false } as MemberHandle);
  watched.refresh();
  assert.deepEqual(shown, [false, true, false]);
});

test('a member chosen while not here (a reply to a private line of one gone since) is chosen away: nothing goes, not to everyone', () => {
  const { add, target, said, names } = harness();
  target.choose('dave', 'Dave');
  assert.equal(target.current(), 'dave');
  assert.equal(target.destination(), 'gone', 'the reply typed for him does not go to the room');
  assert.match(said.at(-1) ?? '', /^Dave is not here: nothing was sent/);
  target.choose('erin');
  assert.equal(target.destination(), 'gone');
  assert.match(said.at(-1) ?? '', /^The member you wrote to is not here/, 'no name known: said so');
  add('dave', 'Dave');
  target.choose('dave', 'Dave');
  assert.notEqual(target.destination(), 'gone');
  assert.deepEqual(names(), ['Dave (away)', ' (away)', 'Dave']);
});

test('a file or a voice message that cannot go is told so in its own words, never "still in the box"', () => {
  const { here, add, target, said } = harness();
  add('carol', 'Carol');
  target.choose('carol');
  here.delete('carol');
  for (const sending of ['files', 'record', 'voice'] as const) assert.equal(target.destination(sending), 'gone');
  // After "Carol is no longer here…": a file was told "your message is still in the box", and a
  // clip thrown away was too.
  assert.deepEqual(said.slice(1), [
    'Carol is not here: files can’t go to them until they are back, so nothing was sent.',
    'Carol is not here: voice messages can’t go to them until they are back, so nothing is recorded.',
    'Carol is not here: your voice message was not sent. It waits in the voice bar: Send it once they are back, or Cancel.',
  ]);
  here.set('carol', { id: 'carol', name: 'Carol', shut: true } as MemberHandle);
  said.length = 0;
  for (const sending of ['files', 'record', 'voice'] as const) assert.equal(target.destination(sending), 'gone');
  for (const line of said) assert.doesNotMatch(line, /still in the box/);
  assert.equal(said[0], 'Carol can’t receive messages now (the member list says why): nothing was sent.');
});

test('where something made for a member goes, whomever the box writes to since: to it while it is here, else nowhere, said', () => {
  const { add, target, said } = harness();
  add('bob', 'Bob');
  target.choose(null);
  const toBob = target.destinationOf('bob', 'voice');
  assert.ok(toBob !== 'gone' && toBob.to?.id === 'bob');
  assert.deepEqual(target.destinationOf(null, 'voice'), { to: null });
  assert.equal(target.destinationOf('dave', 'voice'), 'gone');
  assert.match(said.at(-1) ?? '', /^The member you wrote to is not here: your voice message was not sent/);
});
