// A burst of like warnings is one line now and one per window after, with the count.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { burstLog } from '../server/log-burst.ts';
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
