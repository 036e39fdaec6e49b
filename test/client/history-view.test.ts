// createHistoryView (client/view/history.ts): history lines in sender-time order under one
// marker, and none once the block went for good. Node has no DOM: a list of stand-in elements
// with the few operations the view uses (prepend, after, replaceWith, remove, parentNode).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createHistoryView } from '../../client/view/history.ts';

class Item {
  parentNode: List | null = null;
  className = '';
  textContent = '';
  readonly dataset: Record<string, string> = {};
  constructor(readonly name: string) {}
  remove(): void {
    this.parentNode?.take(this);
  }
  after(next: Item): void {
    const list = this.parentNode;
    if (!list) return; // as the DOM: nothing happens after a node with no parent
    next.remove();
    list.children.splice(list.children.indexOf(this) + 1, 0, next);
    next.parentNode = list;
  }
  before(next: Item): void {
    const list = this.parentNode;
    if (!list) return;
    next.remove();
    list.children.splice(list.children.indexOf(this), 0, next);
    next.parentNode = list;
  }
  replaceWith(next: Item): void {
    const list = this.parentNode;
    if (!list) return;
    next.remove();
    list.children[list.children.indexOf(this)] = next;
    next.parentNode = list;
    this.parentNode = null;
  }
}

class List {
  readonly children: Item[] = [];
  take(item: Item): void {
    this.children.splice(this.children.indexOf(item), 1);
    item.parentNode = null;
  }
  prepend(item: Item): void {
    item.remove();
    this.children.unshift(item);
    item.parentNode = this;
  }
  append(item: Item): void {
    item.remove();
    this.children.push(item);
    item.parentNode = this;
  }
  names(): string[] {
    return this.children.map((item) => item.name);
  }
}

let messages: List;
beforeEach(() => {
  messages = new List();
  Object.assign(globalThis, {
    document: {
      getElementById: (id: string) => (id === 'messages' ? messages : null),
      createElement: () => new Item('marker'),
    },
  });
});
afterEach(() => Reflect.deleteProperty(globalThis, 'document'));

type Verified = NonNullable<ChatLine['history']>['verified'];
const line = (id: string, ts: number, verified: Verified = 'true'): ChatLine => ({
  kind: 'chat',
  id,
  from: 'alice',
  ts,
  text: id,
  own: false,
  history: { verified, relayedBy: 'bob' },
});
const place = (
  view: ReturnType<typeof createHistoryView>,
  id: string,
  ts: number,
  verified: Verified = 'true',
): Item => {
  const element = new Item(id);
  view.place(line(id, ts, verified), element as unknown as HTMLLIElement);
  return element;
};

test('history lines go under one marker at the top, in sender-time order, whenever they come', () => {
  messages.append(new Item('you joined'));
  const view = createHistoryView();
  place(view, 'second', 2);
  place(view, 'third', 3);
  place(view, 'first', 1);
  assert.deepEqual(messages.names(), ['marker', 'first', 'second', 'third', 'you joined']);
  const again = new Item('second, verified');
  view.place(line('second', 2), again as unknown as HTMLLIElement);
  assert.deepEqual(messages.names(), ['marker', 'first', 'second, verified', 'third', 'you joined']);
});

test('once the block went for good, a late history line goes too: no new marker above newer lines', () => {
  const view = createHistoryView();
  place(view, 'first', 1);
  messages.append(new Item('newer'));
  // Over MAX_LINES newer lines came: the oldest go, the marker first, then the history line.
  const [marker, first] = messages.children;
  marker?.remove();
  first?.remove();
  assert.deepEqual(messages.names(), ['newer']);
  place(view, 'late', 0);
  place(view, 'later', 5);
  assert.deepEqual(messages.names(), ['newer']);
  // Said to the caller, whose line may have to show anyway (a file's: wiring/files.ts).
  assert.equal(view.place(line('latest', 6), new Item('latest') as unknown as HTMLLIElement), false);
});

test('a history line stamped in our future is placed when it reached us, not after every other line', () => {
  const view = createHistoryView();
  place(view, 'early', 1);
  place(view, 'late', 20);
  const future = new Item('future');
  view.place({ ...line('future', 8.64e15), receivedAt: 10 }, future as unknown as HTMLLIElement);
  assert.deepEqual(messages.names(), ['marker', 'early', 'future', 'late']);
});

test('a verified copy replacing a forged one is placed by its own time, not where the forged time put it', () => {
  const view = createHistoryView();
  place(view, 'l10', 10);
  place(view, 'l30', 30);
  // Mallory's answer came first, with a forged copy of alice's l20 dated 1.
  view.place(line('l20', 1, 'false'), new Item('l20, forged') as unknown as HTMLLIElement);
  assert.deepEqual(messages.names(), ['marker', 'l20, forged', 'l10', 'l30']);
  view.place(line('l20', 20), new Item('l20') as unknown as HTMLLIElement);
  // A later line is ordered against the true time too.
  place(view, 'l15', 15);
  assert.deepEqual(messages.names(), ['marker', 'l10', 'l15', 'l20', 'l30']);
});

test('a line that goes for good is forgotten, and reported; a copy of it that comes later goes too', () => {
  const undos = new Map<unknown, () => void>();
  const dropped: string[] = [];
  const view = createHistoryView({
    whenDropped: (item, undo) => undos.set(item, undo),
    dropped: (_from, id) => dropped.push(id),
  });
  const first = place(view, 'first', 1);
  const second = place(view, 'second', 2);
  messages.append(new Item('newer'));
  // The oldest go for good, as scrollback.ts drops them: the marker first, then the first line.
  messages.children[0]?.remove();
  first.remove();
  undos.get(first)?.();
  assert.deepEqual(dropped, ['first']);
  // A better copy of the line that went is not placed (the block is gone) and goes as well.
  place(view, 'first', 1);
  assert.deepEqual(dropped, ['first', 'first']);
  // One of a line still kept takes its place.
  view.place(line('second', 2), new Item('second, again') as unknown as HTMLLIElement);
  assert.deepEqual(messages.names(), ['second, again', 'newer']);
  assert.equal(second.parentNode, null);
});

test('each new history line is counted for the one sentence a screen reader hears; a better copy, or a line that goes with its block, is not', () => {
  let counted = 0;
  const view = createHistoryView({ earlier: (count) => (counted += count) });
  place(view, 'first', 1);
  place(view, 'second', 2, 'false');
  assert.equal(counted, 2);
  place(view, 'second', 2);
  assert.equal(counted, 2, 'the verified copy of a line placed is the same line');
  messages.children[0]?.remove(); // the marker went for good: the block is gone
  place(view, 'late', 0);
  assert.equal(counted, 2);
});
