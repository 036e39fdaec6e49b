// A burst of like warnings is one line now and one per window after, with the count; a
// connection's errors are logged once while they repeat, and as a burst while they differ.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { burstLog, connectionErrors } from '../server/log-burst.ts';
import { createLogger } from '../server/logger.ts';

const WINDOW_MS = 5_000;
let lines: Array<Record<string, unknown>>;
const logger = () => createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line)) });

beforeEach(() => {
  lines = [];
  mock.timers.enable({ apis: ['setTimeout'] });
});
afterEach(() => mock.timers.reset());

test('the first warning of a burst is logged at once with its details, the rest as one counted line', () => {
  const log = burstLog(logger(), 'served locally', WINDOW_MS);
  log.warn({ roomId: 'r1' });
  for (let n = 2; n <= 2_591; n++) log.warn({ roomId: `r${n}` });
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.['roomId'], 'r1');
  assert.equal(lines[0]?.['msg'], 'served locally');

  mock.timers.tick(WINDOW_MS);
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.['msg'], 'served locally');
  assert.equal(lines[1]?.['more'], 2_590);
  assert.equal(lines[1]?.['withinMs'], WINDOW_MS);
  assert.equal(lines[1]?.['roomId'], undefined);
});

test('a burst that goes on is counted window by window; after a quiet window the next is logged at once', () => {
  const log = burstLog(logger(), 'served locally', WINDOW_MS);
  log.warn({ roomId: 'a' });
  log.warn({ roomId: 'b' });
  mock.timers.tick(WINDOW_MS);
  log.warn({ roomId: 'c' });
  log.warn({ roomId: 'd' });
  log.warn({ roomId: 'e' });
  mock.timers.tick(WINDOW_MS);
  assert.deepEqual(
    lines.map((l) => l['more'] ?? l['roomId']),
    ['a', 1, 3],
  );
  mock.timers.tick(WINDOW_MS); // nothing counted: the window closes without a line
  assert.equal(lines.length, 3);
  log.warn({ roomId: 'f' });
  assert.equal(lines.at(-1)?.['roomId'], 'f');
});

test('close() logs what is still counted and stops the timer', () => {
  const log = burstLog(logger(), 'served locally', WINDOW_MS);
  log.warn({ roomId: 'a' });
  log.warn({ roomId: 'b' });
  log.close();
  assert.equal(lines.at(-1)?.['more'], 1);
  mock.timers.tick(WINDOW_MS * 3);
  assert.equal(lines.length, 2);
});

test('a connection failing the same way is logged once; a Cluster’s errors naming node after node, once a minute', () => {
  const errors = connectionErrors(logger(), 'membership: redis error');
  for (let n = 0; n < 10; n++) errors.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  assert.equal(lines.length, 1);
  assert.deepEqual(
    (lines[0]?.['err'] as { message?: string } | undefined)?.message,
    'connect ECONNREFUSED 127.0.0.1:6379',
  );
  mock.timers.tick(60_000);
  // Every node of a Cluster down: its client names each one it tries, every second.
  for (let second = 0; second < 60; second++) {
    for (const port of [7001, 7002, 7003]) errors.error(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`));
  }
  assert.equal(lines.length, 2);
  mock.timers.tick(60_000);
  assert.equal(lines.length, 3);
  assert.equal(lines[2]?.['more'], 179);
  errors.close();
});

test('once the connection is up again, its next error is logged even if it is the last one again', () => {
  const errors = connectionErrors(logger(), 'membership: redis error');
  errors.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  mock.timers.tick(60_000);
  errors.ready();
  errors.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  assert.equal(lines.length, 2);
  errors.close();
});

test('an error of another kind is logged in full at once, within a burst too; the count line names the last one', () => {
  const errors = connectionErrors(logger(), 'membership: redis error');
  const messageOf = (line: Record<string, unknown> | undefined) => (line?.['err'] as { message?: string })?.message;
  errors.error(new Error('connect ECONNREFUSED 10.0.0.1:6379'));
  // The password changed while Redis was away: every try now fails for that, for 10 minutes.
  for (let second = 0; second < 600; second++) {
    errors.error(new Error('WRONGPASS invalid username-password pair'));
    mock.timers.tick(1_000);
  }
  assert.deepEqual(lines.map(messageOf), [
    'connect ECONNREFUSED 10.0.0.1:6379',
    'WRONGPASS invalid username-password pair',
  ]);
  // Many kinds, each again and again: a bounded number in full, the rest counted, the last named.
  lines = [];
  mock.timers.tick(60_000);
  for (let kind = 0; kind < 30; kind++) errors.error(new Error(`ERR kind ${kind}`));
  assert.equal(lines.length, 10);
  errors.close();
  assert.equal(lines.length, 11);
  assert.equal(lines[10]?.['more'], 20);
  assert.equal(lines[10]?.['last'], 'ERR kind 29');
});
