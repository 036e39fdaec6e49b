// Private mode's one owner (client/private-target.ts): what we send goes to the chosen
// member, and when that member goes — with a "left" line or dropped quietly, as a new peer
// id of ours drops every member — private mode ends and says so, and nothing meant for one
// member goes to everyone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberHandle } from '../../client/feature.ts';
import { createPrivateTarget } from '../../client/private-target.ts';

function harness() {
  const here = new Map<string, MemberHandle>();
  const add = (id: string, name: string) => here.set(id, { id, name } as MemberHandle);
  const said: string[] = [];
  const shown: Array<string | null> = [];
  const target = createPrivateTarget({
    member: (id) => here.get(id),
    shown: (t) => shown.push(t?.name ?? null),
    say: (text) => said.push(text),
  });
  return { here, add, said, shown, target };
}

test('lines and files go to the chosen member, or to everyone', () => {
  const { add, target, shown } = harness();
  add('bob', 'Bob');
  assert.deepEqual(target.destination(), { to: null });
  target.choose('bob');
  const destination = target.destination();
  assert.ok(destination !== 'gone');
  assert.equal(destination.to?.id, 'bob');
  target.choose(null);
  assert.deepEqual(target.destination(), { to: null });
  assert.deepEqual(shown, ['Bob', null]);
});

test('a member dropped without a "left" line ends private mode: nothing goes, and it says why', () => {
  const { here, add, target, said, shown } = harness();
  add('bob', 'Bob');
  target.choose('bob');
  here.delete('bob'); // our new peer id reset every link: no "left" line for anyone
  assert.equal(target.destination(), 'gone', 'not to everyone instead');
  assert.deepEqual(said, ['Bob is no longer here: nothing was sent, and your messages go to everyone again.']);
  assert.equal(target.current(), null);
  assert.deepEqual(shown, ['Bob', null]);
  assert.deepEqual(target.destination(), { to: null }, 'the next one goes to everyone, as said');
});

test('the member list changing without it ends private mode at once; its "left" line says so once', () => {
  const { here, add, target, said } = harness();
  add('bob', 'Bob');
  add('carol', 'Carol');
  target.choose('bob');
  target.membersChanged();
  assert.deepEqual(said, [], 'still here');
  here.delete('bob');
  target.membersChanged();
  assert.deepEqual(said, ['Bob is no longer here: your messages go to everyone again.']);

  target.choose('carol');
  here.delete('carol');
  target.left('carol', 'Carol');
  target.membersChanged();
  assert.deepEqual(said.slice(1), ['Carol left: your messages go to everyone again.']);
});

test('a rename keeps the choice, under the new name', () => {
  const { here, add, target, said, shown } = harness();
  add('bob', 'Bob');
  target.choose('bob');
  add('bob', 'Robert');
  target.renamed('bob');
  here.delete('bob');
  target.membersChanged();
  assert.deepEqual(shown, ['Bob', 'Robert', null]);
  assert.deepEqual(said, ['Robert is no longer here: your messages go to everyone again.']);
});
