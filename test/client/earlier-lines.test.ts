// "(earlier)" on kept lines once their name is here again (client/view/earlier-lines.ts
// markEarlierLines, run by wiring/names.ts when the members here or their names change): a line written by a
// member who has since left, under a name a member here has now, is marked so that it does not
// pass for that member's. Not the lines of members here, nor ours, nor system lines; a line
// is marked once. On a stand-in DOM (fake-dom.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEarlierLines, markEarlierLines } from '../../client/view/earlier-lines.ts';
import { lineParts } from '../../client/view/line-about.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

let lineCount = 0;

function line(from: string, name: string, kind = 'chat', own = false): FakeElement {
  const item = new FakeElement('li');
  item.dataset['from'] = from;
  item.dataset['id'] = `line-${String(++lineCount).padStart(11, '0')}`;
  item.dataset['kind'] = kind;
  if (own) item.classList.add('own');
  const sender = new FakeElement('span');
  sender.className = 'line-sender';
  sender.textContent = name;
  item.append(sender);
  return item;
}

test('a line of a member gone, under a name here now, is marked "(earlier)"; others are not, and none twice', () => {
  const dom = installFakeDom([]);
  try {
    const gone = line('carol-old-01', 'Carol');
    const present = line('carol-new-01', 'Carol');
    const otherName = line('dave-gone-01', 'Dave');
    const ours = line('me-00000001', 'You', 'chat', true);
    const system = line('carol-old-01', 'Carol', 'system');
    const lines = [gone, present, otherName, ours, system];
    const here = (id: string) => id === 'carol-new-01' || id === 'me-00000001';
    const nameHere = (name: string) => name.toLowerCase() === 'carol';
    const told: string[] = [];
    markEarlierLines(lines as unknown as Element[], here, nameHere, (from, id) => told.push(`${from}/${id}`));
    assert.deepEqual(
      lines.map((item) => item.dataset['earlier'] ?? ''),
      ['true', '', '', '', ''],
    );
    // Its quotes are marked too (replies.ts): told of the one line marked.
    assert.deepEqual(told, [`carol-old-01/${gone.dataset['id']}`]);
    // Heard with its mark, as a history line's (line-about.ts).
    assert.equal(lineParts(gone as unknown as HTMLElement).sender, 'Carol (earlier)');
    markEarlierLines(lines as unknown as Element[], here, nameHere, (from, id) => told.push(`${from}/${id}`));
    assert.equal(gone.children.filter((child) => child.className === 'name-earlier').length, 1, 'marked once');
    assert.equal(told.length, 1, 'told once');
  } finally {
    dom.restore();
  }
});

test('the lines are looked through when the members here change, not only their names: a namesake who leaves after the newcomer came', () => {
  const dom = installFakeDom([]);
  try {
    // Carol (old id) is still heard when a new Carol joins: both here, her lines unmarked.
    const old = line('carol-old-01', 'Carol');
    let looked = 0;
    const kept = () => {
      looked++;
      return [old] as unknown as Element[];
    };
    const earlier = createEarlierLines(kept, (name) => name.toLowerCase());
    earlier.update(['me-00000001', 'carol-old-01', 'carol-new-01'], ['You', 'Carol', 'Carol']);
    assert.equal(old.dataset['earlier'], undefined);
    // Nothing changed: the lines are not looked through again.
    earlier.update(['carol-new-01', 'carol-old-01', 'me-00000001'], ['Carol', 'You', 'Carol']);
    assert.equal(looked, 1);
    // The old one goes; the names here are the same ("Carol"), the members are not.
    earlier.update(['me-00000001', 'carol-new-01'], ['You', 'Carol']);
    assert.equal(old.dataset['earlier'], 'true');
    assert.equal(looked, 2);
  } finally {
    dom.restore();
  }
});
