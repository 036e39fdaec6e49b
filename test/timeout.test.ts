// server/timeout.ts: a deadline is judged by the event loop. An answer that came while the
// loop was stalled past the deadline is taken, not reported late.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import { DeadlineError, deadline, withTimeout } from '../server/timeout.ts';
import { stall } from './stall.ts';

/** A server in another process (it answers while this one is stalled): "pong" for "ping". */
async function startPongServer(): Promise<{ port: number; stop: () => void }> {
  const script = `
    const server = require('node:net').createServer((socket) => socket.on('data', () => socket.write('pong')));
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { port: Number(line.toString().trim()), stop: () => child.kill() };
}

test('an answer that came while the loop was stalled past the deadline is taken', async () => {
  const server = await startPongServer();
  try {
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const answer = once(socket, 'data').then(([data]) => String(data));
    socket.write('ping');
    const outcome = deadline(answer, 50);
    // The answer arrives within a few milliseconds, while this thread is busy for 300: the
    // deadline's timer is due before the socket is read again.
    stall(300);
    assert.equal(await outcome, 'pong');
    socket.destroy();
  } finally {
    server.stop();
  }
});

test('no answer at all is a DeadlineError; a failure is passed on; withTimeout gives undefined for both', async () => {
  await assert.rejects(deadline(new Promise(() => {}), 20), DeadlineError);
  await assert.rejects(deadline(Promise.reject(new Error('refused')), 1_000), /refused/);
  assert.equal(await withTimeout(new Promise(() => {}), 20), undefined);
  assert.equal(await withTimeout(Promise.reject(new Error('refused')), 1_000), undefined);
  assert.equal(await withTimeout(Promise.resolve(7), 1_000), 7);
});
