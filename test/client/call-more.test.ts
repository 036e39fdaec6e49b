// The call's compact bar on a narrow screen (view/call-more.ts): sharing a screen and the
// device lists behind one More button, shown only while there is something behind it. The
// layout (one row of Mute, Camera, Hang up and More on a phone) is e2e/call-layout.spec.ts's.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createCallMore } from '../../client/view/call-more.ts';
import { type FakeElement, installFakeDom } from './fake-dom.ts';

let dom: ReturnType<typeof installFakeDom>;
beforeEach(() => {
  dom = installFakeDom(['call-controls']);
});
afterEach(() => dom.restore());

/** A bar holding Hang up, with More made after it and holding sharing and a device list. */
function bar() {
  const controls = dom.byId('call-controls');
  const leave = document.createElement('button') as unknown as FakeElement;
  controls.append(leave);
  const more = createCallMore(leave as unknown as HTMLElement);
  const [share, mic] = ['button', 'label'].map((tag) => document.createElement(tag));
  if (!share || !mic) throw new Error('no elements');
  more.hold(share, mic);
  const [, toggle, panel] = controls.children;
  if (!toggle || !panel) throw new Error('More and its panel are not in the bar');
  return { more, toggle, panel, share, mic, leave };
}

test('More comes after Hang up, its panel right after it (the order they are seen in), names what it opens, and opens and closes its panel', () => {
  const { more, toggle, panel, leave } = bar();
  assert.deepEqual(dom.byId('call-controls').children, [leave, toggle, panel]);
  assert.equal(toggle.getAttribute('aria-label'), 'More call controls');
  assert.equal(toggle.getAttribute('aria-controls'), 'call-more');
  more.render(true);
  assert.equal(toggle.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  toggle.dispatch('click');
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  assert.ok(panel.classList.contains('open'));
  toggle.dispatch('click');
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(!panel.classList.contains('open'));
});

test('More is offered only in a call and while something behind it is shown: no screen sharing and one device of each kind, none', () => {
  const { more, toggle, share, mic } = bar();
  more.render(false);
  assert.equal(toggle.hidden, true, 'out of a call');
  more.render(true);
  assert.equal(toggle.hidden, false);
  share.hidden = true; // a browser without getDisplayMedia (a phone's)
  more.render(true);
  assert.equal(toggle.hidden, false, 'the microphone list is still behind it');
  mic.hidden = true; // one microphone: no list
  more.render(true);
  assert.equal(toggle.hidden, true, 'nothing behind it');
});

test('leaving the call closes the panel: the next call starts compact', () => {
  const { more, toggle, panel } = bar();
  more.render(true);
  toggle.dispatch('click');
  assert.ok(panel.classList.contains('open'));
  more.render(false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(!panel.classList.contains('open'));
  more.render(true);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
});
