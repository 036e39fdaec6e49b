// Our own room key in doubt (client/key-doubt.ts): shown once when every member failed the
// proof with us and one of them twice; not for one bad link among good ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKeyDoubt, KEY_DOUBT_TEXT } from '../../client/key-doubt.ts';
import type { MemberProblem, MemberView } from '../../client/member.ts';

const member = (
  id: string,
  code: MemberProblem['code'] | null,
  verification: MemberView['verification'] = 'unverified',
) => ({ id, name: id, reason: code === null ? null : { code, text: code }, verification }) as MemberView;

test('every member failed the proof with us, one of them twice: said once', () => {
  const said: Array<string | null> = [];
  const doubt = createKeyDoubt((text) => said.push(text));
  doubt.check([member('bob', 'room-key-mismatch'), member('carol', 'room-key-mismatch')]);
  assert.equal(said.length, 0, 'one failed try each: a fresh link is on its way');
  doubt.check([member('bob', 'intercepted'), member('carol', 'room-key-mismatch')]);
  doubt.check([member('bob', 'intercepted'), member('carol', 'intercepted')]);
  assert.equal(said.length, 1);
  assert.equal(said[0], KEY_DOUBT_TEXT);
  // A member without the room key says nothing about ours, either way.
  const again = createKeyDoubt((text) => said.push(text));
  again.check([member('bob', 'intercepted'), member('eve', 'no-room-key')]);
  assert.equal(said.length, 2);
});

test('one member proving the key, or one not failing it, is no doubt about ours', () => {
  const said: Array<string | null> = [];
  const doubt = createKeyDoubt((text) => said.push(text));
  doubt.check([member('bob', 'intercepted'), member('carol', null, 'verified')]);
  doubt.check([member('bob', 'intercepted'), member('carol', 'no-turn')]);
  doubt.check([member('bob', 'intercepted'), member('carol', null)]);
  doubt.check([]);
  assert.equal(said.length, 0);
});

test('a doubt cleared by a member proving the key is said again when it comes back', () => {
  const said: Array<string | null> = [];
  const doubt = createKeyDoubt((text) => said.push(text));
  doubt.check([member('bob', 'intercepted')]);
  doubt.check([member('bob', null, 'verified')]);
  doubt.check([member('carol', 'intercepted')]);
  assert.deepEqual(said, [KEY_DOUBT_TEXT, null, KEY_DOUBT_TEXT], 'shown, cleared, shown again');
});
