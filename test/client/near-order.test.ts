// Lines written at nearly the same moment by different members (client/view/near-order.ts):
// each page hears them in its own order, and puts them in the order they were written, as
// history does, so that every page shows them alike; one's own lines keep their order, and
// nothing moves past a system line or a line settled on the page for NEAR_MS. The lines view
// places its chat lines so (view/lines.ts). On a stand-in DOM (fake-dom.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createNearOrder, type LineOrder, NEAR_MS } from '../../client/view/near-order.ts';
import { FakeElement } from './fake-dom.ts';
import { linesViewEachTest } from './lines-view-each-test.ts';

/** A page's list of lines, placed at the times the test says. */
function page() {
  let now = 0;
  const near = createNearOrder(() => now);
  const list = new FakeElement('ol');
  return {
    at(ms: number) {
      now = ms;
    },
    place(name: string, order: LineOrder | null) {
      const item = new FakeElement('li');
      item.dataset['name'] = name;
      near.place(list as unknown as Element, item as unknown as Element, order);
    },
    names: () => list.children.map((item) => item.dataset['name']),
  };
}

const line = (from: string, ts: number, id = `${from}-${ts}`): LineOrder => ({ from, ts, id });

test('two lines written at nearly once show in the order they were written on both pages, whichever each heard first', () => {
  const alice = page();
  const bob = page();
  // Each page has its own line first; the other's comes 150 ms later.
  alice.place('alice', line('alice-00001', 1_000));
  alice.at(150);
  alice.place('bob', line('bob-0000001', 990));
  bob.place('bob', line('bob-0000001', 990));
  bob.at(150);
  bob.place('alice', line('alice-00001', 1_000));
  assert.deepEqual(alice.names(), ['bob', 'alice']);
  assert.deepEqual(bob.names(), ['bob', 'alice']);
  // The same time to the millisecond: by author, as history orders them (transcript.ts).
  const [one, two] = [page(), page()];
  one.place('zed', line('zed-0000001', 5_000));
  one.place('amy', line('amy-0000001', 5_000));
  two.place('amy', line('amy-0000001', 5_000));
  two.place('zed', line('zed-0000001', 5_000));
  assert.deepEqual(one.names(), two.names());
  assert.deepEqual(one.names(), ['amy', 'zed']);
});

test('a line goes among the near ones by its time: between two, past several', () => {
  const p = page();
  p.place('a', line('aaaaaaaaaaa', 1_000));
  p.place('b', line('bbbbbbbbbbb', 1_200));
  p.place('c', line('ccccccccccc', 1_300));
  p.at(300);
  p.place('d', line('ddddddddddd', 1_100));
  p.place('e', line('eeeeeeeeeee', 900));
  assert.deepEqual(p.names(), ['e', 'a', 'd', 'b', 'c']);
});

test("nothing moves past a line of its author's written before it, a system line, or a line settled for NEAR_MS", () => {
  const own = page();
  own.place('bob first', line('bob-0000001', 1_000, 'b1'));
  own.place('alice', line('alice-00001', 1_500));
  own.at(100);
  own.place('bob second', line('bob-0000001', 1_200, 'b2'));
  assert.deepEqual(own.names(), ['bob first', 'bob second', 'alice']);

  const system = page();
  system.place('alice', line('alice-00001', 2_000));
  system.place('carol joined', null);
  system.place('bob', line('bob-0000001', 1_900));
  assert.deepEqual(system.names(), ['alice', 'carol joined', 'bob']);

  const settled = page();
  settled.place('alice', line('alice-00001', 2_000));
  settled.at(NEAR_MS + 1);
  settled.place('bob, long after', line('bob-0000001', 1_900));
  assert.deepEqual(settled.names(), ['alice', 'bob, long after']);
});

test("an author's line that comes after a later one of its goes right before it, however long that one was shown: one person's lines read in the order written", () => {
  // Bob's page was cut off; Alice wrote to him privately, then to the room. Carol's catch-up
  // brought the room's line first; Alice's resend of the private one comes 20 s later.
  const bob = page();
  bob.place('carol before', line('carol-00001', 500));
  bob.place('alice public', line('alice-00001', 10_000, 'a2'));
  bob.place('carol after', line('carol-00001', 12_000, 'c2'));
  bob.at(20_000);
  bob.place('bob is back', null);
  bob.at(40_000);
  bob.place('alice private', line('alice-00001', 7_000, 'a1'));
  assert.deepEqual(bob.names(), ['carol before', 'alice private', 'alice public', 'carol after', 'bob is back']);
  // A line in order, however late, goes at the end as ever.
  bob.place('alice next', line('alice-00001', 30_000, 'a3'));
  assert.equal(bob.names().at(-1), 'alice next');
  // Not past a line of hers written before it: right after that one.
  bob.place('alice between', line('alice-00001', 8_000, 'a4'));
  assert.deepEqual(bob.names().slice(1, 4), ['alice private', 'alice between', 'alice public']);
  // Lines of one time keep the order they came in, whatever their ids.
  const tie = page();
  for (const id of ['l9', 'l10', 'l2']) tie.place(id, line('alice-00001', 5_000, id));
  assert.deepEqual(tie.names(), ['l9', 'l10', 'l2']);
});

const view = linesViewEachTest();

test('the lines view places chat lines so; a line whose sender clock is off goes by when it came', async () => {
  const chat = (from: string, ts: number, extra: Partial<ChatLine> = {}): ChatLine => ({
    kind: 'chat',
    id: `${from}-line`.padEnd(12, '0'),
    from,
    ts,
    text: `from ${from}`,
    own: false,
    ...extra,
  });
  const now = Date.now();
  view.lines().append(chat('alice-00001', now), 'alice');
  view.lines().append(chat('bob-0000001', now - 200), 'bob');
  // Its clock an hour ahead: shown (and placed) as written when it came, now.
  view.lines().append(chat('carol-00001', now + 3_600_000, { receivedAt: now + 100 }), 'carol');
  await new Promise((resolve) => setImmediate(resolve));
  const froms = view
    .dom()
    .byId('messages')
    .children.map((item) => item.dataset['from']);
  assert.deepEqual(froms, ['bob-0000001', 'alice-00001', 'carol-00001']);
});
