// WIRE_LOG (debug): a path that cannot be written is refused at start, naming WIRE_LOG; a
// write that fails later is logged once and ends the wire log, and the server goes on serving.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { checkWireLog } from '../server/wire-log.ts';
import { closeAll, connectClient, joinOk, newRoomId, startServer, testConfig } from './support.ts';

afterEach(closeAll);

const UNWRITABLE = '/nonexistent-roomlink-dir/wire.jsonl';

test('a wire log in a directory that does not exist is refused at start, naming WIRE_LOG', () => {
  assert.match(checkWireLog(UNWRITABLE) ?? 'accepted', /^WIRE_LOG: cannot open ".*" for appending \(ENOENT\)$/);
  assert.throws(() => createApp(testConfig({ wireLog: UNWRITABLE })), /^Error: WIRE_LOG: /);
});

// /dev/full opens, and every write to it fails (ENOSPC): a disk that filled up after start.
test('a wire log whose writes fail is logged once and stopped; the server goes on serving', {
  skip: !existsSync('/dev/full') && 'no /dev/full here',
}, async () => {
  const lines: string[] = [];
  const logger = createLogger('error', { write: (line: string) => lines.push(line) });
  const server = await startServer({ wireLog: '/dev/full' }, { logger });
  for (let i = 0; i < 3; i += 1) assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const client = await connectClient(server.url);
  await joinOk(client, newRoomId(), 'Still served');
  const failures = lines.filter((line) => line.includes('WIRE_LOG: write failed'));
  assert.equal(failures.length, 1, lines.join(''));
  assert.match(failures[0] ?? '', /ENOSPC/);
});
