// What a hostile or broken client can send, event by event: each gets an error code (or
// loses only its own connection), and the server keeps serving everyone else.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { afterEach, describe, test } from 'node:test';
import { Server } from 'socket.io';
import type { ProtocolError } from '../protocol/signaling.ts';
import { createLogger } from '../server/logger.ts';
import { createMemoryMembership } from '../server/membership.ts';
import { createResumeTokens } from '../server/resume.ts';
import { createMemoryRevocations } from '../server/resume-revocations.ts';
import type { RoomServer } from '../server/rooms.ts';
import { createSignaling } from '../server/signaling.ts';
import {
  assertRefused,
  assertStillServing,
  closeAll,
  collect,
  connectClient,
  disconnected,
  emitRaw,
  emitRawWithAck,
  join,
  joinOk,
  newRoomId,
  OFFER,
  startServer,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

describe('malformed input', () => {
  test('every event with a bad payload gets an error and the server keeps serving', async () => {
    const server = await startServer();
    const client = await connectClient(server.url);
    const errors = collect(client, 'error');
    const expectError = async (code: ProtocolError['code'], send: () => void) => {
      const before = errors.length;
      send();
      const error = await waitForEvent(client, 'error');
      assert.equal(error.code, code);
      assert.equal(errors.length, before + 1);
    };

    // room:join: no ack, payloads of every wrong kind, extra arguments.
    await expectError('bad_request', () => emitRaw(client, 'room:join', { roomId: newRoomId(), name: 'A' }));
    await expectError('bad_request', () => emitRaw(client, 'room:join'));
    for (const payload of [null, 42, 'room', [newRoomId(), 'A'], true, {}, { roomId: newRoomId() }]) {
      assertRefused(await emitRawWithAck(client, 'room:join', payload), 'bad_request');
    }
    assertRefused(
      await emitRawWithAck(client, 'room:join', { roomId: newRoomId(), name: 'A' }, 'extra'),
      'bad_request',
    );
    assertRefused(
      await emitRawWithAck(
        client,
        'room:join',
        JSON.parse(`{"roomId":"${newRoomId()}","name":"A","__proto__":{"x":1}}`),
      ),
      'bad_request',
    );
    assertRefused(await emitRawWithAck(client, 'room:join', Buffer.alloc(32, 1)), 'bad_request');

    // Before joining: signal and ice:refresh need a room.
    await expectError('not_in_room', () => client.emit('signal', { to: 'abcdefghijkl', description: OFFER }));
    assertRefused(await emitRawWithAck(client, 'ice:refresh'), 'not_in_room');
    await expectError('not_in_room', () => client.emit('room:leave'));

    await joinOk(client, newRoomId(), 'A');
    // signal: wrong shapes, wrong arity, binary, an ack where none belongs.
    for (const payload of [null, 7, 'offer', [], {}, { to: 'abcdefghijkl' }, Buffer.from('{}')]) {
      await expectError('bad_request', () => emitRaw(client, 'signal', payload));
    }
    await expectError('bad_request', () =>
      emitRaw(client, 'signal', { to: 'abcdefghijkl', description: OFFER, candidate: { candidate: '' } }),
    );
    await expectError('bad_request', () => emitRaw(client, 'signal'));
    await expectError('bad_request', () =>
      emitRaw(client, 'signal', { to: 'abcdefghijkl', description: OFFER }, 'second'),
    );
    assertRefused(await emitRawWithAck(client, 'signal', { to: 'abcdefghijkl', description: OFFER }), 'bad_request');

    // room:leave with arguments; ice:refresh without an ack or with a payload.
    await expectError('bad_request', () => emitRaw(client, 'room:leave', { now: true }));
    await expectError('bad_request', () => emitRaw(client, 'ice:refresh'));
    await expectError('bad_request', () => emitRaw(client, 'ice:refresh', { force: true }));
    assertRefused(await emitRawWithAck(client, 'ice:refresh', { force: true }), 'bad_request');

    // Unknown events, with and without an ack, including one named 'error'.
    await expectError('bad_request', () => emitRaw(client, 'chat', { text: 'hello' }));
    await expectError('bad_request', () => emitRaw(client, 'error', { code: 'internal' }));
    await expectError('bad_request', () => emitRaw(client, '__proto__', {}));
    assertRefused(await emitRawWithAck(client, 'admin:kick', { id: 'x' }), 'bad_request');

    // Still joined and working after all of that.
    const ice = await emitRawWithAck(client, 'ice:refresh');
    assert.deepEqual(ice, { ok: true, iceServers: [], iceExpiresAt: 0 });
    await assertStillServing(server.url);
  });

  test('a payload over 64 KB closes that connection only; the server keeps serving', async () => {
    const server = await startServer();
    const room = newRoomId();
    const big = await connectClient(server.url);
    const bystander = await connectClient(server.url);
    await joinOk(big, room, 'Big');
    await joinOk(bystander, room, 'Bystander');
    const left = waitForEvent(bystander, 'peer:left');
    const gone = disconnected(big);
    big.emit('signal', { to: 'abcdefghijkl', description: { type: 'offer', sdp: 'x'.repeat(70 * 1024) } });
    assert.equal(await gone, 'transport close');
    assert.equal((await left).reason, 'disconnect');
    await assertStillServing(server.url);
  });

  test('packets that are not Socket.IO at all close that connection only', async () => {
    const server = await startServer();
    for (const garbage of ['42[', '4{"not":"an array"}', '42["disconnect"]', '99', '2probe-not']) {
      const client = await connectClient(server.url);
      const gone = disconnected(client);
      client.io.engine.write(garbage);
      await gone;
    }
    await assertStillServing(server.url);
  });

  test('a handler that throws is answered with internal and the process lives on', async (t) => {
    const httpServer = createServer();
    const io: RoomServer = new Server(httpServer);
    const logger = createLogger('silent');
    io.on(
      'connection',
      createSignaling(io, {
        config: { maxRoomSize: 4, maxVideoSenders: 6 },
        logger,
        resume: createResumeTokens('x'.repeat(32)),
        revocations: createMemoryRevocations(60_000),
        ice: () => {
          throw new Error('ice exploded');
        },
        isShuttingDown: () => false,
        isClosing: () => false,
        membership: createMemoryMembership(),
        guardFor: () => undefined,
      }),
    );
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    t.after(() => io.close());
    const { port } = httpServer.address() as { port: number };
    const client = await connectClient(`http://127.0.0.1:${port}`);
    assertRefused(await join(client, newRoomId(), 'Alice'), 'internal');
  });
});
