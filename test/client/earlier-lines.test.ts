// "(earlier)" on kept lines once their name is here again (client/view/line-marks.ts
// markEarlierLines, run by wiring/names.ts when the names here change): a line written by a
// member who has since left, under a name a member here has now, is marked so that it does not
// pass for that member's. Not the lines of members here, nor ours, nor system lines; a line
// is marked once. On a stand-in DOM (fake-dom.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineParts } from '../../client/view/line-about.ts';
import { markEarlierLines } from '../../client/view/line-marks.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

function line(from: string, name: string, kind = 'chat', own = false): FakeElement {
  const item = new FakeElement('li');
  item.dataset['from'] = from;
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
    markEarlierLines(lines as unknown as Element[], here, nameHere);
    assert.deepEqual(
      lines.map((item) => item.dataset['earlier'] ?? ''),
      ['true', '', '', '', ''],
    );
    // Heard with its mark, as a history line's (line-about.ts).
    assert.equal(lineParts(gone as unknown as HTMLElement).sender, 'Carol (earlier)');
    markEarlierLines(lines as unknown as Element[], here, nameHere);
    assert.equal(gone.children.filter((child) => child.className === 'name-earlier').length, 1, 'marked once');
  } finally {
    dom.restore();
  }
});
