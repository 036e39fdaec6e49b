// The connection guard on fake Engine.IO connections: what it arms when a session ends.
// The guard's limits under real floods are in hostile-load.test.ts.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mock, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_GUARD, type EngineConnection, guardConnection } from '../server/guard.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const WEBSOCKET_OPEN = 1;
const WEBSOCKET_CLOSING = 2;
const WEBSOCKET_CLOSED = 3;

function fakeConnection(readyState: number) {
  const socket = {
    readyState,
    terminated: 0,
    terminate() {
      this.terminated += 1;
    },
  };
  const conn = Object.assign(new EventEmitter(), { transport: { name: 'websocket', socket }, close() {} });
  guardConnection(conn as unknown as EngineConnection, DEFAULT_GUARD, () => {});
  return { conn, socket };
}

test('a session whose WebSocket has closed leaves nothing held once it ends', async () => {
  // Made and ended in a scope of its own, so that only what the guard keeps could hold it.
  const ended = (() => {
    const { conn } = fakeConnection(WEBSOCKET_CLOSED);
    conn.emit('close');
    return new WeakRef(conn);
  })();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  // A grace timer armed anyway would hold the connection (~12 KB a socket) for half a second.
  assert.equal(ended.deref(), undefined);
});

test('a session that ended with its WebSocket still open has the WebSocket terminated after the grace', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  // CLOSING is what a session the server ended finds (its close frame sent, the peer's
  // awaited); OPEN, one whose transport is still up.
  for (const readyState of [WEBSOCKET_CLOSING, WEBSOCKET_OPEN]) {
    const { conn, socket } = fakeConnection(readyState);
    conn.emit('close');
    mock.timers.tick(499);
    assert.equal(socket.terminated, 0, `readyState ${readyState}`);
    mock.timers.tick(1);
    assert.equal(socket.terminated, 1, `readyState ${readyState}`);
  }
});
