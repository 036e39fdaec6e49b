// The private bar (client/view/private.ts) on a stand-in page (fake-dom.ts): it names the member
// written to, isolated, says while it is away, and marks it "(earlier)" as the lines mark a
// member gone (line-marks.ts) once someone here has its name (wiring/names.ts decides): "Private to
// Dee (not here…)" read as the Dee here. So do the box's placeholder and what is said of a new
// conversation.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createPrivateView } from '../../client/view/private.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom(['members', 'composer', 'drop-hint', 'voice-to']);
});
afterEach(() => dom.restore());

/** Everything an element shows, its children's words in order (textContent is its own only here). */
function words(element: FakeElement): string {
  return element.textContent + element.children.map((child) => words(child)).join('');
}

/** The element and everything inside it. */
const within = (element: FakeElement): FakeElement[] => [element, ...element.children.flatMap(within)];

function page() {
  const composer = dom.byId('composer');
  const box = new FakeElement('textarea');
  box.dataset['testid'] = 'message-input';
  composer.append(box);
  const view = createPrivateView({ choose: () => {} });
  const bar = composer.children[0];
  const label = bar?.children[0];
  if (!bar || !label) throw new Error('no private bar');
  return { view, bar, label, box };
}

test('the bar names the member written to, says while it is away, and marks it "(earlier)" once its name is someone else’s here', () => {
  const { view, bar, label, box } = page();
  view.show({ id: 'dee-0000001', name: 'Dee', away: false });
  assert.equal(bar.hidden, false);
  assert.equal(words(label), 'Private to Dee');
  assert.deepEqual(
    within(label)
      .filter((part) => part.tagName === 'bdi')
      .map((part) => part.textContent),
    ['Dee'],
  );
  assert.equal(box.getAttribute('placeholder'), 'Private message to Dee…');
  view.show({ id: 'dee-0000001', name: 'Dee', away: true });
  assert.equal(words(label), 'Private to Dee (not here: nothing is sent until they are back)');
  assert.equal(bar.dataset['away'], 'true');
  view.show({ id: 'dee-0000001', name: 'Dee', away: true, earlier: true });
  assert.equal(words(label), 'Private to Dee (earlier) (not here: nothing is sent until they are back)');
  const tag = within(label).find((part) => part.className === 'name-earlier');
  // Under the name, with the words on her absence: a long name cut short does not take it along.
  assert.equal(tag?.parentNode?.className, 'recipient-away');
  assert.equal(
    (within(label).find((part) => part.className === 'recipient-to') as unknown as HTMLElement | undefined)?.title,
    'Private to Dee (earlier)',
  );
  assert.equal(
    (tag as unknown as HTMLElement | undefined)?.title,
    'A member of this name who has since left: not the member of this name here now',
  );
  assert.equal(box.getAttribute('placeholder'), 'Private message to Dee (earlier) (not here)…');
  // Back under her id: named as she is, unmarked.
  view.show({ id: 'dee-0000001', name: 'Dee 2', away: false });
  assert.equal(words(label), 'Private to Dee 2');
  assert.equal(box.getAttribute('placeholder'), 'Private message to Dee 2…');
});
