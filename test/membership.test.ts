// The membership stores against the same rules, and names across nodes with real servers:
// the in-memory store, the Redis store on one redis-server, and two Redis stores (two
// "nodes") sharing it, where the cap, the names and your own ghost must hold across both,
// and a node that dies leaves no member behind for more than a few seconds. Heartbeats
// between nodes are membership-heartbeats.test.ts and membership-lapse.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from '@redis/client';
import type { JoinAck } from '../protocol/index.ts';
import type { AppOptions } from '../server/app.ts';
import { createMemoryMembership, type MembershipStore } from '../server/membership.ts';
import { createRedisMembership } from '../server/membership-redis.ts';
import { claim, HEARTBEAT_MS, logger, membershipBed, TIMEOUT_MS } from './membership-support.ts';
import { cuttablePath } from './redis-support.ts';
import {
  assertRefused,
  collect,
  connectClient,
  expectNoEvent,
  HEARTBEAT,
  join,
  joinOk,
  newRoomId,
  resumeOnceSilent,
  silence,
  startServer,
  until,
  waitForEvent,
} from './support.ts';

/** How long the test waits for a sweep (a few heartbeat TTLs) before calling it missing: a deadline, not a speed bound. */
const SWEEP_DEADLINE_MS = 15_000;

const bed = membershipBed();
const { redisStore, stores } = bed;

/** The same rules, whichever store: `a` and `b` may be one store or two nodes sharing Redis. */
function rules(name: string, open: () => Promise<[MembershipStore, MembershipStore]>): void {
  describe(name, () => {
    test('the cap holds, a name is unique in its room, and a refusal suggests a free variant', async () => {
      const [a, b] = await open();
      const room = newRoomId();
      assert.equal((await a.admit(room, claim('p1', 'Alice'), 3)).ok, true);
      assert.deepEqual(await b.admit(room, claim('p2', 'ＡＬＩＣＥ'), 3), {
        ok: false,
        code: 'name_taken',
        suggestion: 'ＡＬＩＣＥ 2',
        holder: 'p1',
      });
      assert.equal((await b.admit(room, claim('p2', 'Alice 2'), 3)).ok, true);
      assert.deepEqual(await a.admit(room, claim('p3', 'alice'), 3), {
        ok: false,
        code: 'name_taken',
        suggestion: 'alice 3',
        holder: 'p1',
      });
      const third = await a.admit(room, claim('p3', 'Carol'), 3);
      assert.ok(third.ok);
      assert.deepEqual(third.members.map((m) => m.id).sort(), ['p1', 'p2', 'p3']);
      assert.deepEqual(await b.admit(room, claim('p4', 'Dave'), 3), { ok: false, code: 'room_full' });
    });

    test('your own ghost never blocks you, and its late leave removes nothing', async () => {
      const [a, b] = await open();
      const room = newRoomId();
      await a.admit(room, claim('p1', 'Alice', 'old'), 2);
      await a.admit(room, claim('p2', 'Bob'), 2);
      // Full room, name held: by the same peer id on its old socket. It comes back via b.
      assert.equal((await b.admit(room, claim('p1', 'Alice', 'new'), 2)).ok, true);
      assert.equal(await a.leave(room, 'p1', 'old'), false);
      assert.deepEqual((await b.members(room)).map((m) => m.name).sort(), ['Alice', 'Bob']);
      assert.equal(await b.leave(room, 'p1', 'new'), true);
      assert.deepEqual(
        (await a.members(room)).map((m) => m.name),
        ['Bob'],
      );
    });

    test('a member gone without a goodbye keeps its seat for its hold, not its name; its own join takes the seat back, and the hold ends', async () => {
      const [a, b] = await open();
      const room = newRoomId();
      await a.admit(room, claim('p1', 'Alice', 'old'), 2);
      await a.admit(room, claim('p2', 'Bob'), 2);
      assert.equal(await a.leave(room, 'p1', 'old', 60_000), true);
      assert.deepEqual(
        (await b.members(room)).map((m) => m.name),
        ['Bob'],
      );
      assert.deepEqual(await b.admit(room, claim('p3', 'Carol'), 2), { ok: false, code: 'room_full' });
      // Its name is free (the same person in a new tab asks for it, most often).
      assert.equal((await b.admit(room, claim('p3', 'alice'), 3)).ok, true);
      assert.equal(await b.leave(room, 'p3', 's-p3'), true);
      // Back (its ticket): its own hold seats it; the hold is over.
      assert.equal((await b.admit(room, claim('p1', 'Alice', 'new'), 2)).ok, true);
      assert.equal(await b.leave(room, 'p1', 'new'), true);
      assert.equal((await a.admit(room, claim('p3', 'Alice'), 2)).ok, true);
      // A short hold ends by itself: seat and name are free again.
      assert.equal(await a.leave(room, 'p3', 's-p3', 100), true);
      const after = Date.now() + 100;
      await until(() => Date.now() > after, 'the hold is over', 1_000);
      assert.equal((await b.admit(room, claim('p4', 'alice'), 2)).ok, true);
    });

    test('a rename is atomic with the names of the room, and frees the old name', async () => {
      const [a, b] = await open();
      const room = newRoomId();
      await a.admit(room, claim('p1', 'Alice'), 5);
      await b.admit(room, claim('p2', 'Bob'), 5);
      assert.deepEqual(await b.rename(room, claim('p2', 'ALICE')), {
        ok: false,
        code: 'name_taken',
        suggestion: 'ALICE 2',
        holder: 'p1',
      });
      assert.deepEqual(await b.rename(room, claim('p2', 'Robert')), { ok: true });
      assert.deepEqual(await a.rename(room, claim('p2', 'Mallory', 'not-the-holder')), {
        ok: false,
        code: 'not_in_room',
      });
      assert.equal((await a.admit(room, claim('p3', 'bob'), 5)).ok, true);
      assert.deepEqual((await a.members(room)).map((m) => m.name).sort(), ['Alice', 'Robert', 'bob']);
    });

    test('a name drawn as a member’s is taken, capitals of another script too: "ВОВ" beside "BOB", on a join and a rename', async () => {
      const [a, b] = await open();
      const room = newRoomId();
      const [cyrillicBob, greekAnn, cyrillicTom, smallTom] = [
        '\u0412\u041E\u0412',
        '\u0391\u039D\u039D',
        '\u0422\u041E\u041C',
        '\u0442\u043E\u043C',
      ];
      assert.equal((await a.admit(room, claim('p1', 'BOB'), 6)).ok, true);
      assert.deepEqual(await b.admit(room, claim('p2', cyrillicBob), 6), {
        ok: false,
        code: 'name_taken',
        suggestion: `${cyrillicBob} 2`,
        holder: 'p1',
      });
      // "Вова" is drawn otherwise: a name of its own.
      assert.equal((await b.admit(room, claim('p2', '\u0412\u043E\u0432\u0430'), 6)).ok, true);
      assert.deepEqual(await b.rename(room, claim('p2', cyrillicBob)), {
        ok: false,
        code: 'name_taken',
        suggestion: `${cyrillicBob} 2`,
        holder: 'p1',
      });
      assert.equal((await a.admit(room, claim('p3', 'Ann'), 6)).ok, true);
      assert.equal((await b.rename(room, claim('p2', greekAnn))).ok, false);
      // The other way round: the Cyrillic name first. Its Latin look-alike is taken, and so is
      // its own small-letter form (one name in two cases).
      assert.equal((await b.admit(room, claim('p4', cyrillicTom), 6)).ok, true);
      for (const name of ['Tom', 'TOM', smallTom]) {
        const refused = await a.rename(room, claim('p3', name));
        assert.ok(
          !refused.ok && refused.code === 'name_taken' && refused.holder === 'p4',
          `${name}: ${JSON.stringify(refused)}`,
        );
      }
      // A member's own name in another case is still its own.
      assert.deepEqual(await a.rename(room, claim('p1', 'bob')), { ok: true });
      // Gone, "ТОМ" frees both its keys: "Tom" (drawn alike) and "том" (its small letters).
      assert.equal(await b.leave(room, 'p4', 's-p4'), true);
      assert.deepEqual(await a.rename(room, claim('p3', 'Tom')), { ok: true });
      assert.equal((await b.admit(room, claim('p5', smallTom), 6)).ok, true);
      assert.deepEqual(
        (await a.members(room)).map((m) => m.name).sort(),
        ['Tom', 'bob', '\u0412\u043E\u0432\u0430', smallTom].sort(),
      );
    });

    test('of 12 concurrent joins for 4 seats and 2 names, exactly 4 get in with distinct names', async () => {
      const [a, b] = await open();
      const room = newRoomId();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? a : b).admit(room, claim(`p${i}`, i % 3 === 0 ? 'Same' : `P${i}`), 4),
        ),
      );
      const admitted = results.filter((r) => r.ok);
      assert.equal(admitted.length, 4, JSON.stringify(results));
      const names = (await a.members(room)).map((m) => m.name.toLowerCase());
      assert.equal(new Set(names).size, names.length);
    });
  });
}

rules('in-memory store', async () => {
  const store = createMemoryMembership();
  stores.push(store);
  return [store, store];
});
rules('Redis store, one node', async () => {
  const store = await redisStore();
  return [store, store];
});
rules('Redis store, two nodes sharing one Redis', async () => [await redisStore(), await redisStore()]);

/** The store's member `peerId` dies with it (no goodbye); resolves once another node swept it. */
async function sweptWith(doomed: MembershipStore, gone: Array<[string, string[]]>, roomId: string, peerId: string) {
  const stopped = Date.now();
  await doomed.close(); // no goodbye: its heartbeat just stops, like a SIGKILL or a SIGSTOP
  const here = () => gone.filter(([room]) => room === roomId).flatMap(([, ids]) => ids);
  while (!here().includes(peerId)) {
    assert.ok(Date.now() - stopped < SWEEP_DEADLINE_MS, 'the dead node was never swept');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a node that dies', () => {
  test('its members are removed by another node within a few seconds, and their rooms are told', async () => {
    const gone: Array<[string, string[]]> = [];
    // Names held for a second, not the minute a deployment holds them: then free (below).
    const survivor = await redisStore((roomId, ids) => gone.push([roomId, ids]), bed.redis.url, HEARTBEAT_MS, 1_000);
    const doomed = await redisStore();
    const room = newRoomId();
    await survivor.admit(room, claim('stays', 'Stays'), 6);
    await doomed.admit(room, claim('dies1', 'Dies 1'), 6);
    await doomed.admit(room, claim('dies2', 'Dies 2'), 6);
    // A resumed member: it moved to the survivor before its old node died.
    await doomed.admit(room, claim('moved', 'Moved', 'old'), 6);
    await survivor.admit(room, claim('moved', 'Moved', 'new'), 6);
    const stopped = Date.now();
    await doomed.close(); // no goodbye: its heartbeat just stops, like a SIGKILL
    // Stores closed by earlier tests are dead nodes too: only this room is looked at.
    const here = () => gone.filter(([roomId]) => roomId === room).flatMap(([, ids]) => ids);
    while (here().length === 0) {
      assert.ok(Date.now() - stopped < SWEEP_DEADLINE_MS, 'the dead node was never swept');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const took = Date.now() - stopped;
    assert.ok(took >= 2 * HEARTBEAT_MS, `swept after ${took} ms: before the node's key expired`);
    assert.deepEqual(here().sort(), ['dies1', 'dies2']);
    assert.deepEqual((await survivor.members(room)).map((m) => m.id).sort(), ['moved', 'stays']);
    // Their names are free again once their hold ends.
    while (!(await survivor.admit(room, claim('new', 'Dies 1'), 6)).ok) {
      assert.ok(Date.now() - stopped < SWEEP_DEADLINE_MS, 'the name was never freed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  test('a member swept with its node keeps its name a while: a newcomer gets a variant, the member back gets its own', async () => {
    const gone: Array<[string, string[]]> = [];
    const survivor = await redisStore((roomId, ids) => gone.push([roomId, ids]));
    const doomed = await redisStore();
    const room = newRoomId();
    await survivor.admit(room, claim('stays', 'Stays'), 6);
    await doomed.admit(room, claim('dave', 'Dave'), 6);
    await doomed.admit(room, claim('erin', 'Erin'), 6);
    await doomed.admit(room, claim('vova', '\u0412\u041E\u0412'), 6); // "ВОВ"
    await sweptWith(doomed, gone, room, 'dave');
    assert.deepEqual((await survivor.members(room)).map((m) => m.id).sort(), ['stays']);
    // Someone new picks the name in the gap (a node stalled or dead for seconds).
    const newcomer = await survivor.admit(room, claim('new', 'dave'), 6);
    assert.ok(!newcomer.ok && newcomer.code === 'name_taken', JSON.stringify(newcomer));
    assert.equal(newcomer.suggestion, 'dave 2');
    // Held by both its keys: "BOB", drawn as "ВОВ" is, and "вов", its small letters.
    for (const name of ['BOB', '\u0432\u043E\u0432']) {
      const refused = await survivor.admit(room, claim('new', name), 6);
      assert.ok(!refused.ok && refused.code === 'name_taken' && refused.holder === 'vova', JSON.stringify(refused));
    }
    const renamed = await survivor.admit(room, claim('new', 'Newcomer'), 6);
    assert.equal(renamed.ok, true);
    assert.equal((await survivor.rename(room, claim('new', 'DAVE', 's-new'))).ok, false);
    // Dave's page comes back with its ticket (its id), on the node that is left: its name.
    assert.equal((await survivor.admit(room, claim('dave', 'Dave', 'reconnected'), 6)).ok, true);
    // Erin comes back under another name: hers is given up.
    assert.equal((await survivor.admit(room, claim('erin', 'Erin B', 'reconnected'), 6)).ok, true);
    assert.equal((await survivor.rename(room, claim('new', 'Erin', 's-new'))).ok, true);
    // "ВОВ" back under "Вова": both keys of the name it had are given up.
    assert.equal((await survivor.admit(room, claim('vova', '\u0412\u043E\u0432\u0430', 'reconnected'), 6)).ok, true);
    assert.equal((await survivor.rename(room, claim('new', 'BOB', 's-new'))).ok, true);
    assert.equal((await survivor.admit(room, claim('small', '\u0432\u043E\u0432'), 6)).ok, true);
  });
});

describe('names across two server nodes', () => {
  const node = (options: AppOptions = {}) =>
    startServer({ redisUrl: bed.redis.url, clusterTimeoutMs: TIMEOUT_MS }, options);

  test('a join with a name taken on the other node is refused with a suggestion', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const room = newRoomId();
    await joinOk(await connectClient(a.url), room, 'Alice');
    // Compared after folding case and look-alikes (invisible characters are refused outright).
    const refused = await join(await connectClient(b.url), room, ' ALICE ');
    assertRefused(refused, 'name_taken');
    assert.equal(refused.ok ? '' : refused.error.suggestion, 'ALICE 2');
  });

  test('a rename to a taken name is refused; a free one is announced to the room on both nodes', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const room = newRoomId();
    const alice = await connectClient(a.url);
    const bob = await connectClient(b.url);
    const carol = await connectClient(a.url);
    await joinOk(alice, room, 'Alice');
    const ackBob = await joinOk(bob, room, 'Bob');
    await joinOk(carol, room, 'Carol');
    const taken = await bob.timeout(2_000).emitWithAck('room:rename', { name: 'ALICE' });
    assert.deepEqual(taken, {
      ok: false,
      error: { code: 'name_taken', message: 'someone in this room already uses that name', suggestion: 'ALICE 2' },
    });
    const seenByAlice = waitForEvent(alice, 'peer:renamed');
    const seenByCarol = waitForEvent(carol, 'peer:renamed');
    // Emitted on Bob's node in the same turn as his ack, and to the other node through Redis:
    // an echo would reach Bob before Alice and Carol hear of the rename.
    const echoes = collect(bob, 'peer:renamed');
    assert.deepEqual(await bob.timeout(2_000).emitWithAck('room:rename', { name: 'Robert' }), {
      ok: true,
      name: 'Robert',
    });
    assert.deepEqual(await seenByAlice, { id: ackBob.self.id, name: 'Robert' });
    assert.deepEqual(await seenByCarol, { id: ackBob.self.id, name: 'Robert' });
    assert.deepEqual(echoes, []);
    // "Bob" is free again, on either node.
    await joinOk(await connectClient(a.url), room, 'Bob');
  });

  test('keys announced with a join are carried untouched across nodes: in peer:joined and in the join ack', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const room = newRoomId();
    // Alice's with the signature over her ECDH key (PeerKeys.held), Bob's without, as an older page's.
    const keysOf = (c: string) => ({
      sign: c.repeat(87),
      ecdh: c.toUpperCase().repeat(87),
      proof: c.repeat(43),
      ...(c === 'a' ? { held: c.repeat(86) } : {}),
    });
    const alice = await connectClient(a.url);
    const ackAlice = await alice
      .timeout(2_000)
      .emitWithAck('room:join', { roomId: room, name: 'Alice', keys: keysOf('a') });
    assert.ok(ackAlice.ok);
    const announced = waitForEvent(alice, 'peer:joined');
    const bob = await connectClient(b.url);
    const ackBob = await bob.timeout(2_000).emitWithAck('room:join', { roomId: room, name: 'Bob', keys: keysOf('b') });
    assert.ok(ackBob.ok);
    assert.deepEqual(
      ackBob.peers.find((p: { id: string }) => p.id === ackAlice.self.id)?.keys,
      keysOf('a'),
      'the ack on node b lists alice with her keys',
    );
    assert.deepEqual((await announced).keys, keysOf('b'), 'node a announces bob with his keys');
    // Malformed keys are refused, not carried.
    const carol = await connectClient(b.url);
    const bad = await carol
      .timeout(2_000)
      .emitWithAck('room:join', { roomId: room, name: 'Carol', keys: { ...keysOf('c'), proof: 'not<a>proof' } });
    assertRefused(bad, 'bad_request');
  });

  test('a reload on the other node keeps its name while the old connection is still there', async () => {
    const [a, b] = await Promise.all([node({ heartbeat: HEARTBEAT }), node({ heartbeat: HEARTBEAT })]);
    const room = newRoomId();
    const first = await connectClient(a.url);
    const watcher = await connectClient(b.url);
    const ack = await joinOk(first, room, 'Alice');
    await joinOk(watcher, room, 'Watcher');
    // Its network went away (a live connection is never taken over: resume-server.test.ts).
    const lefts = collect(watcher, 'peer:left');
    silence(first);
    const { ack: again } = await resumeOnceSilent(b.url, room, 'alice', ack.resume);
    assert.equal(again.self.id, ack.self.id);
    assert.equal(again.self.name, 'alice');
    await expectNoEvent(watcher, 'peer:left', 500);
    assert.deepEqual(lefts, []);
    // Someone else still cannot take it.
    assertRefused(await join(await connectClient(a.url), room, 'Alice'), 'name_taken');
  });

  /**
   * Alice's connection dropped; then two joins with her ticket at once, on `first` and
   * `second`: exactly one takes her id back (the other is told another join is taking it
   * back, and to try again), nobody hears she left, both stay connected, and the store keeps her name.
   */
  async function twinTicketJoins(first: string, second: string, what: string): Promise<void> {
    const room = newRoomId();
    const watcher = await connectClient(first);
    await joinOk(watcher, room, 'Watcher');
    const alice = await connectClient(first);
    const ack = await joinOk(alice, room, 'Alice');
    const left = waitForEvent(watcher, 'peer:left');
    alice.disconnect();
    await left;
    const lefts = collect(watcher, 'peer:left');
    const [one, two] = await Promise.all([connectClient(first), connectClient(second)]);
    const acks = await Promise.all([join(one, room, 'Alice', ack.resume), join(two, room, 'Alice', ack.resume)]);
    // The other is refused and told to ask again: while the winner's claim stands (at once),
    // or, a moment later, because the winner's connection now holds the id (retryAfterMs, not
    // the name of someone else: no variant offered).
    const outcome = (reply: JoinAck) => {
      if (reply.ok) return reply.self.id;
      if (reply.error.resuming) return 'name_taken (resuming)';
      return reply.error.retryAfterMs !== undefined && reply.error.suggestion !== undefined
        ? 'name_taken (its own earlier connection)'
        : `${reply.error.code}: ${reply.error.message}`;
    };
    const outcomes = acks.map(outcome);
    assert.ok(outcomes.includes(ack.self.id), `${what}: ${outcomes}`);
    assert.ok(
      outcomes.some((o) => o === 'name_taken (resuming)' || o === 'name_taken (its own earlier connection)'),
      `${what}: ${outcomes}`,
    );
    await expectNoEvent(watcher, 'peer:left', 300);
    assert.deepEqual(lefts, [], `${what}: nobody told the room that the one who took it back left`);
    assert.ok(one.connected && two.connected, what);
    assertRefused(await join(await connectClient(second), room, 'Alice'), 'name_taken');
  }

  test('two joins with the same ticket at once on two nodes: one takes the id back, and the store keeps it', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    for (let trial = 0; trial < 3; trial++) await twinTicketJoins(a.url, b.url, `trial ${trial}`);
  });

  test('two joins with the same ticket at once on one node: one takes the id back, and the store keeps it', async () => {
    const a = await node();
    await twinTicketJoins(a.url, a.url, 'one node');
  });
});

describe('records written before names had two keys (members in Redis across a deploy)', () => {
  /** Writes members as the code before wrote them: one name key, the name folded then skeletoned. */
  async function writeOld(room: string, members: Record<string, [key: string, name: string]>): Promise<void> {
    const raw = createClient({ url: bed.redis.url });
    await raw.connect();
    try {
      for (const [peer, [key, name]] of Object.entries(members)) {
        await raw.hSet(`roomlink:{${room}}:members`, peer, `old-node\ts-${peer}\t${key}\t${name}\t`);
        await raw.hSet(`roomlink:{${room}}:names`, key, peer);
      }
    } finally {
      await raw.quit();
    }
  }

  test('an old record holds its one key, gives it up when its member renames, and is written anew by its next join', async () => {
    const store = await redisStore();
    const room = newRoomId();
    const cyrillicBob = '\u0412\u041E\u0412';
    await writeOld(room, { old1: ['bob', 'BOB'], old2: ['\u0299o\u0299', cyrillicBob] });
    // The old "BOB" holds "bob", which a new "ВОВ" is drawn as.
    const refused = await store.admit(room, claim('p1', cyrillicBob), 6);
    assert.ok(!refused.ok && refused.code === 'name_taken', JSON.stringify(refused));
    // The old "ВОВ" holds only "ʙoʙ" until its next join (a page cut by the deploy joins
    // again): then it holds "bob" too, found taken here by the old "BOB" beside it.
    const back = await store.admit(room, { ...claim('old2', cyrillicBob, 's-old2-new'), returning: true }, 6);
    assert.ok(!back.ok && back.code === 'name_taken' && back.holder === 'old1', JSON.stringify(back));
    // The old "BOB" renames: its one key is given up, and "ВОВ" is free to the old member.
    assert.deepEqual(await store.rename(room, claim('old1', 'Robert', 's-old1')), { ok: true });
    assert.equal(
      (await store.admit(room, { ...claim('old2', cyrillicBob, 's-old2-new'), returning: true }, 6)).ok,
      true,
    );
    // Written anew, with both keys: "BOB" is taken now.
    const taken = await store.rename(room, claim('old1', 'BOB', 's-old1'));
    assert.ok(!taken.ok && taken.code === 'name_taken' && taken.holder === 'old2', JSON.stringify(taken));
    // An old record's leave gives its one key up.
    await writeOld(room, { old3: ['carol', 'Carol'] });
    assert.equal(await store.leave(room, 'old3', 's-old3'), true);
    assert.equal((await store.admit(room, claim('p3', 'CAROL'), 6)).ok, true);
  });
});

describe('a claim to take a peer id back (claimResume)', () => {
  test('outlives the join it guards, whose every wait is a command timeout: 4 s timeouts, a 24 s claim', async () => {
    const store = createRedisMembership({
      target: { kind: 'single', url: bed.redis.url },
      logger,
      timeoutMs: 4_000,
      onGone: () => {},
      onBack: () => {},
      heartbeatMs: HEARTBEAT_MS,
    });
    stores.push(store);
    assert.equal(await store.ready(3_000), true);
    const room = newRoomId();
    assert.deepEqual(await store.claimResume(room, 'alice', 'first'), { ok: true });
    const raw = createClient({ url: bed.redis.url });
    await raw.connect();
    try {
      const ttl = await raw.pTTL(`roomlink:{${room}}:resuming:alice`);
      assert.ok(ttl > 20_000, `the claim stands ${ttl} ms`);
    } finally {
      await raw.quit();
    }
    // Another join meanwhile is told how long the claim can still stand.
    const refused = await store.claimResume(room, 'alice', 'second');
    assert.ok(!refused.ok && refused.endsWithinMs > 20_000, JSON.stringify(refused));
    store.endResume(room, 'alice', 'first');
  });
});

/** A hold on the chunks that match, released by the test (cuttablePath's `outgoing`). */
function holdWhen(matches: (text: string) => boolean) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let armed = false;
  let held = false;
  return {
    arm() {
      armed = true;
    },
    held: () => held,
    release,
    outgoing: async (chunk: Buffer) => {
      if (!armed || !matches(chunk.toString('latin1'))) return;
      armed = false;
      held = true;
      await released;
    },
  };
}

describe('what a node does meanwhile, against what Redis answers late', () => {
  test('a member who leaves while the node writes its room back after a Redis restart is gone for good', async () => {
    // The room's write-back begins with the sweep script: held until the leave was asked.
    const hold = holdWhen((text) => text.includes('keep[ARGV[i]]'));
    const path = await cuttablePath(bed.redis.port, hold.outgoing);
    try {
      const store = await redisStore(() => {}, path.url);
      const room = newRoomId();
      await store.admit(room, claim('alice', 'Alice'), 6);
      await store.admit(room, claim('watcher', 'Watcher'), 6);
      hold.arm();
      await bed.redis.stop();
      await bed.redis.start();
      await until(hold.held, 'the write-back under way', 15_000);
      const leaving = store.leave(room, 'alice', 's-alice');
      await new Promise((resolve) => setTimeout(resolve, 50));
      hold.release();
      assert.equal(await leaving, true, 'the room is told the member left');
      // Read from Redis once the node is back on it, the room written back.
      const deadline = Date.now() + 15_000;
      let ids: string[] = [];
      while (Date.now() < deadline) {
        ids = store.mode() === 'shared' ? (await store.members(room)).map((m) => m.id) : [];
        if (ids.includes('watcher')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(ids, ['watcher']);
      assert.equal((await store.admit(room, claim('alice-2', 'Alice'), 6)).ok, true, 'the name is free');
    } finally {
      path.close();
    }
  });

  test('a member who leaves while its rename waits on Redis does not come back in the node’s own list', async () => {
    const hold = holdWhen((text) => text.includes('Alicia'));
    const path = await cuttablePath(bed.redis.port, hold.outgoing);
    try {
      const store = await redisStore(() => {}, path.url);
      const room = newRoomId();
      await store.admit(room, claim('alice', 'Alice'), 6);
      // Redis knows the rename script by then (a first one is sent whole after NOSCRIPT).
      await store.admit(room, claim('bob', 'Bob'), 6);
      assert.deepEqual(await store.rename(room, claim('bob', 'Robert')), { ok: true });
      hold.arm();
      const renaming = store.rename(room, claim('alice', 'Alicia'));
      await until(hold.held, 'the rename on its way', 5_000);
      const leaving = store.leave(room, 'alice', 's-alice');
      hold.release();
      assert.deepEqual(await renaming, { ok: true });
      assert.equal(await leaving, true);
      // With Redis away, the node answers from its own list: what it would write back.
      path.cut();
      await until(() => store.mode() === 'degraded', 'the node on its own', 5_000);
      assert.deepEqual(
        (await store.members(room)).map((m) => m.name),
        ['Robert'],
      );
    } finally {
      path.close();
    }
  });
});

describe('a node back from an outage of its own, writing its members back', () => {
  test('an entry another node took over meanwhile stays with it: the old socket’s leave removes nobody', async () => {
    const path = await cuttablePath(bed.redis.port);
    const replaced: string[][] = [];
    try {
      const a = createRedisMembership({
        target: { kind: 'single', url: path.url },
        logger,
        timeoutMs: TIMEOUT_MS,
        onGone: () => {},
        onBack: () => {},
        onReplaced: (...cut) => replaced.push(cut),
        heartbeatMs: HEARTBEAT_MS,
      });
      stores.push(a);
      assert.equal(await a.ready(3_000), true);
      const b = await redisStore();
      const room = newRoomId();
      assert.equal((await a.admit(room, claim('alice', 'Alice', 'S1'), 6)).ok, true);
      assert.equal((await b.admit(room, claim('bob', 'Bob'), 6)).ok, true);
      // A loses Redis, shorter than a node TTL: nobody sweeps it.
      path.cut();
      await until(() => a.mode() === 'degraded', 'node A on its own');
      // Alice's tab reloads onto B and takes her entry over there (B, S2).
      assert.equal((await b.admit(room, claim('alice', 'Alice', 'S2'), 6)).ok, true);
      path.mend();
      await until(() => replaced.length > 0, 'node A told to cut its replaced connection', 10_000);
      assert.deepEqual(replaced, [[room, 'alice', 'S1']]);
      // S1 ends (cut, or its ping timeout): its leave finds the entry someone else's.
      assert.equal(await a.leave(room, 'alice', 'S1'), false, 'S1’s end announced a member who is on S2 as gone');
      assert.deepEqual((await b.members(room)).map((m) => m.id).sort(), ['alice', 'bob']);
      assert.equal(await b.leave(room, 'alice', 'S2'), true);
    } finally {
      path.close();
    }
  });

  test('a name both nodes gave out apart stays taken until both holders have left, whichever leaves first', async () => {
    const path = await cuttablePath(bed.redis.port);
    try {
      const a = await redisStore(() => {}, path.url);
      const b = await redisStore();
      const rooms = [newRoomId(), newRoomId()];
      path.cut();
      await until(() => a.mode() === 'degraded', 'node A on its own');
      // Apart, each node decides alone (A from its own members): both admit the name, and
      // the room goes past its cap of 2.
      for (const room of rooms) {
        assert.equal((await a.admit(room, claim('pa', 'carol'), 2)).ok, true);
        assert.equal((await a.admit(room, claim('qa', 'Quinn'), 2)).ok, true);
        assert.equal((await b.admit(room, claim('pb', 'Carol'), 2)).ok, true);
      }
      path.mend();
      const ids = async (room: string) => (await b.members(room)).map((m) => m.id).sort();
      for (const room of rooms) {
        await until(() => a.mode() === 'shared', 'node A back on Redis', 10_000);
        for (let tries = 0; (await ids(room)).length < 3; tries++) {
          assert.ok(tries < 500, 'node A never wrote its members back');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      const taken = { ok: false, code: 'name_taken', suggestion: 'CAROL 2' };
      for (const [room, first, second] of [
        [rooms[0] ?? '', 'pa', 'pb'],
        [rooms[1] ?? '', 'pb', 'pa'],
      ] as const) {
        // Both keep it; nobody new takes it, nor a seat, while the room is over its cap.
        assert.deepEqual(await ids(room), ['pa', 'pb', 'qa']);
        const refused = await b.admit(room, claim('x', 'CAROL'), 4);
        assert.ok(!refused.ok && refused.code === 'name_taken', JSON.stringify(refused));
        assert.deepEqual({ ...refused, holder: undefined }, { ...taken, holder: undefined });
        assert.ok(([first, second] as string[]).includes(refused.holder), `held by ${refused.holder}`);
        assert.deepEqual(await b.admit(room, claim('y', 'Yann'), 2), { ok: false, code: 'room_full' });
        // One leaves, with Redis up on both nodes: the other still holds the name.
        assert.equal(await (first === 'pa' ? a : b).leave(room, first, `s-${first}`), true);
        assert.deepEqual(
          await b.admit(room, claim('x', 'CAROL'), 4),
          { ...taken, holder: second },
          `${first} left first`,
        );
        assert.equal(await (second === 'pa' ? a : b).leave(room, second, `s-${second}`), true);
        assert.equal((await b.admit(room, claim('x', 'CAROL'), 4)).ok, true, 'the name is free once both left');
      }
    } finally {
      path.close();
    }
  });

  test('its connection replaced on the other node meanwhile is cut when Redis is back, and nobody hears she left', async () => {
    const path = await cuttablePath(bed.redis.port);
    try {
      const [a, b] = await Promise.all([
        startServer({ redisUrl: path.url, clusterTimeoutMs: TIMEOUT_MS }),
        startServer({ redisUrl: bed.redis.url, clusterTimeoutMs: TIMEOUT_MS }),
      ]);
      const room = newRoomId();
      const first = await connectClient(a.url);
      const ack = await joinOk(first, room, 'Alice');
      const watcher = await connectClient(b.url);
      await joinOk(watcher, room, 'Watcher');
      const lefts = collect(watcher, 'peer:left');
      const dropped = new Promise((resolve) => {
        a.app.io.sockets.sockets.get(first.id ?? '')?.once('disconnect', resolve);
        setTimeout(() => resolve('still connected 10 s after Redis came back'), 10_000).unref();
      });
      path.cut();
      await until(() => a.app.redisState() === 'down', 'node A away from Redis');
      // Her reload lands on B, which cannot see her connection on A (the outage) and gives
      // her entry to the new one; B's order to cut the old one never reaches A.
      const reload = await connectClient(b.url);
      assert.equal((await joinOk(reload, room, 'Alice', ack.resume)).self.id, ack.self.id);
      path.mend();
      // Well before its ping timeout (Socket.IO's default 20 s).
      assert.equal(await dropped, 'server namespace disconnect');
      await expectNoEvent(watcher, 'peer:left', 500);
      assert.deepEqual(lefts, []);
      // The room has one Alice, on B.
      const late = await joinOk(await connectClient(a.url), room, 'Late');
      assert.deepEqual(late.peers.map((p) => p.name).sort(), ['Alice', 'Watcher']);
      assert.ok(reload.connected);
    } finally {
      path.close();
    }
  });
});
