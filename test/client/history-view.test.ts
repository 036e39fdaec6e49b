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

const line = (id: string, ts: number): ChatLine => ({
  kind: 'chat',
  id,
  from: 'alice',
  ts,
  text: id,
  own: false,
  history: { verified: 'true', relayedBy: 'bob' },
});
const place = (view: ReturnType<typeof createHistoryView>, id: string, ts: number): Item => {
  const element = new Item(id);
  view.place(line(id, ts), element as unknown as HTMLElement);
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
  view.place(line('second', 2), again as unknown as HTMLElement);
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
});

test('a history line stamped in our future is placed when it reached us, not after every other line', () => {
  const view = createHistoryView();
  place(view, 'early', 1);
  place(view, 'late', 20);
  const future = new Item('future');
  view.place({ ...line('future', 8.64e15), receivedAt: 10 }, future as unknown as HTMLElement);
  assert.deepEqual(messages.names(), ['marker', 'early', 'future', 'late']);
});
