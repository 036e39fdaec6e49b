// placeChildren (client/view/dom.ts): a parent's children made exactly the wanted ones, in
// order, moving as few as it can. Node has no DOM: stand-in elements with the operations the
// helper uses, which count every node taken out of or put into the parent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeChildren } from '../../client/view/dom.ts';

class Child {
  parentNode: Parent | null = null;
  constructor(readonly name: string) {}
  remove(): void {
    this.parentNode?.take(this);
  }
}

class Parent {
  readonly children: Child[] = [];
  /** Every node taken out (-name) or put in (+name), in order. */
  readonly touched: string[] = [];
  take(child: Child): void {
    this.children.splice(this.children.indexOf(child), 1);
    child.parentNode = null;
    this.touched.push(`-${child.name}`);
  }
  insertBefore(child: Child, before: Child | null): void {
    child.remove();
    const at = before === null ? this.children.length : this.children.indexOf(before);
    this.children.splice(at, 0, child);
    child.parentNode = this;
    this.touched.push(`+${child.name}`);
  }
  names(): string[] {
    return this.children.map((child) => child.name);
  }
}

function place(parent: Parent, wanted: Child[]): void {
  placeChildren(parent as unknown as Element, wanted as unknown as Element[]);
}

function filled(...names: string[]): { parent: Parent; byName: Map<string, Child> } {
  const parent = new Parent();
  const byName = new Map(names.map((name) => [name, new Child(name)]));
  place(parent, [...byName.values()]);
  parent.touched.length = 0;
  return { parent, byName };
}

test('an entry made again goes where its old one was, and no other child is touched', () => {
  const { parent, byName } = filled('self', 'ann', 'bo', 'cy');
  const bo2 = new Child('bo2');
  place(parent, [byName.get('self')!, byName.get('ann')!, bo2, byName.get('cy')!]);
  assert.deepEqual(parent.names(), ['self', 'ann', 'bo2', 'cy']);
  assert.deepEqual(parent.touched, ['-bo', '+bo2']);
});

test('the same children in the same order: nothing is touched', () => {
  const { parent, byName } = filled('self', 'ann', 'bo');
  place(parent, [...byName.values()]);
  assert.deepEqual(parent.touched, []);
});

test('a newcomer is inserted where it sorts, one who left is removed, a rename moves one entry', () => {
  const { parent, byName } = filled('self', 'ann', 'cy', 'dee');
  const [self, ann, cy, dee] = ['self', 'ann', 'cy', 'dee'].map((name) => byName.get(name)!) as [
    Child,
    Child,
    Child,
    Child,
  ];
  const bo = new Child('bo');
  place(parent, [self, ann, bo, cy, dee]);
  assert.deepEqual(parent.names(), ['self', 'ann', 'bo', 'cy', 'dee']);
  assert.deepEqual(parent.touched, ['+bo']);

  parent.touched.length = 0;
  place(parent, [self, ann, cy, dee]);
  assert.deepEqual(parent.names(), ['self', 'ann', 'cy', 'dee']);
  assert.deepEqual(parent.touched, ['-bo']);

  parent.touched.length = 0;
  place(parent, [self, cy, dee, ann]); // ann renamed to one sorting last
  assert.deepEqual(parent.names(), ['self', 'cy', 'dee', 'ann']);
  // Not the fewest moves (ann alone), but never every child: cy and dee are put back once.
  assert.deepEqual(parent.touched, ['-cy', '+cy', '-dee', '+dee']);
});

test('any order in, the wanted order out', () => {
  for (let round = 0; round < 200; round++) {
    const pool = Array.from({ length: 8 }, (_, i) => new Child(`c${i}`));
    const parent = new Parent();
    const shuffle = (list: Child[]) =>
      list
        .map((c) => [Math.random(), c] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, c]) => c);
    place(parent, shuffle(pool).slice(0, 1 + Math.floor(Math.random() * 8)));
    const wanted = shuffle([...shuffle(pool).slice(0, Math.floor(Math.random() * 8)), new Child('new')]);
    place(parent, wanted);
    assert.deepEqual(
      parent.names(),
      wanted.map((c) => c.name),
    );
    for (const child of pool) assert.equal(child.parentNode === parent, wanted.includes(child));
  }
});
