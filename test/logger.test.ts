// server/logger.ts: an error in a log line says what it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientOfflineError } from '@redis/client';
import { createLogger } from '../server/logger.ts';

function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: Array<Record<string, unknown>> = [];
  createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) }).warn(fields, 'failed');
  return (lines[0]?.['err'] ?? {}) as Record<string, unknown>;
}

test('an error is logged with its class, message, code and stack', () => {
  const offline = logged({ err: new ClientOfflineError() });
  assert.equal(offline['type'], 'ClientOfflineError');
  assert.equal(offline['message'], 'The client is offline');
  assert.match(String(offline['stack']), /The client is offline\n +at /);
  const refused = logged({ err: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  assert.equal(refused['code'], 'ECONNREFUSED');
});

test('a report that is no error (a thread’s message) is logged as it is, not as an error of type Object', () => {
  assert.deepEqual(logged({ err: { message: 'no answer within 2000 ms' } }), { message: 'no answer within 2000 ms' });
});
