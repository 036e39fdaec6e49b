// createCalmLane (client/view/calm.ts): after a quiet CALM_MS a draw runs at once (in a task
// of its own); draws asked for within CALM_MS of a batch run together, once each, when it has
// passed; a draw asked for during a batch waits for the next.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { CALM_MS, createCalmLane } from '../../client/view/calm.ts';
import { reportedErrors } from './fakes.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

const lane = () => createCalmLane(CALM_MS, () => Date.now());

test('the first draw after a quiet quarter second runs at once, in a task of its own', () => {
  const calm = lane();
  const ran: string[] = [];
  calm(() => ran.push('members'));
  assert.deepEqual(ran, [], 'not inside the caller’s change');
  mock.timers.tick(0);
  assert.deepEqual(ran, ['members']);
});

test('draws asked for within a quarter second of a batch run together, once each, when it has passed', () => {
  const calm = lane();
  const ran: string[] = [];
  const members = () => ran.push('members');
  const receipts = () => ran.push('receipts');
  calm(members);
  mock.timers.tick(0);
  mock.timers.tick(50);
  calm(receipts);
  calm(members);
  calm(receipts);
  mock.timers.tick(CALM_MS - 51);
  assert.deepEqual(ran, ['members'], 'the batch waits for the quarter second to pass');
  mock.timers.tick(1);
  assert.deepEqual(ran, ['members', 'receipts', 'members'], 'in the order first asked');
  mock.timers.tick(CALM_MS * 4);
  assert.equal(ran.length, 3, 'nothing asked, nothing drawn');
  calm(receipts);
  mock.timers.tick(0);
  assert.deepEqual(ran.at(-1), 'receipts', 'quiet again: at once');
});

test('a draw asked for while a batch runs goes with the next batch, not this one', () => {
  const calm = lane();
  const ran: string[] = [];
  const later = () => ran.push('later');
  calm(() => {
    ran.push('first');
    calm(later);
  });
  mock.timers.tick(0);
  assert.deepEqual(ran, ['first']);
  mock.timers.tick(CALM_MS - 1);
  assert.deepEqual(ran, ['first']);
  mock.timers.tick(1);
  assert.deepEqual(ran, ['first', 'later']);
});

test('a draw its caller made already is taken out of the batch', () => {
  const calm = lane();
  const ran: string[] = [];
  const members = () => ran.push('members');
  calm(() => ran.push('receipts'));
  mock.timers.tick(0);
  calm(members);
  calm.cancel(members);
  mock.timers.tick(CALM_MS);
  assert.deepEqual(ran, ['receipts']);
});

test('a draw that throws costs the others in its batch nothing, and is reported', (t) => {
  const reported = reportedErrors(t);
  const calm = lane();
  const ran: string[] = [];
  calm(() => {
    throw new Error('broken view');
  });
  calm(() => ran.push('receipts'));
  mock.timers.tick(0);
  assert.deepEqual(ran, ['receipts']);
  assert.match(String(reported[0]), /broken view/);
});
