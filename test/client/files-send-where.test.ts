// Where a file goes, said where it is sent from (client/view/send-where.ts, file-send.ts): the
// hint over the chat while files are held above it names the room or the member alone (a
// user holding a file under "Editing your message privately to dave" thought it went to Dave),
// the voice bar says where its clip goes, and while the member written to is away the Files
// chooser stays shut and the hint says why, rather than taking files that can go nowhere.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { wireFileSending } from '../../client/view/file-send.ts';
import { pinVoiceTo, showSendWhere, unpinVoiceTo } from '../../client/view/send-where.ts';
import { type FakeDom, type FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom(['drop-hint', 'voice-to', 'file-input', 'chat', 'message-input']);
});
afterEach(() => dom.restore());

/** An element's text as read, and the names in it (each a <bdi>). */
const read = (element: FakeElement) => ({
  text: element.children.map((child) => child.textContent).join(''),
  names: element.children.filter((child) => child.tagName === 'bdi').map((child) => child.textContent),
});

test('the drop hint and the voice bar name where things go: everyone, the member alone, or that it is away', () => {
  const hint = dom.byId('drop-hint');
  const voiceTo = dom.byId('voice-to');
  showSendWhere(null);
  assert.deepEqual(read(hint), { text: 'Drop to send to everyone', names: [] });
  assert.deepEqual(read(voiceTo), { text: 'to everyone', names: [] });
  // A right-to-left name isolated, as in every sentence the page writes.
  showSendWhere({ id: 'carol', name: 'קרול', away: false });
  assert.deepEqual(read(hint), { text: 'Drop to send to קרול alone', names: ['קרול'] });
  assert.deepEqual(read(voiceTo), { text: 'to קרול', names: ['קרול'] });
  showSendWhere({ id: 'carol', name: 'Carol', away: true });
  assert.deepEqual(read(hint), {
    text: 'Carol is not here: files can’t go to them until they are back',
    names: ['Carol'],
  });
  assert.deepEqual(read(voiceTo), { text: 'to Carol (not here)', names: ['Carol'] });
  // Here but shut (no room key, or held): the drop would be refused; the hint said "Drop to send to Carol alone".
  showSendWhere({ id: 'carol', name: 'Carol', away: false, shut: true });
  assert.deepEqual(read(hint), { text: 'Carol can’t receive files now (the member list says why)', names: ['Carol'] });
  // Away under a name someone here has now: said as the lines say a member gone ("(earlier)").
  showSendWhere({ id: 'carol', name: 'Carol', away: true, earlier: true });
  assert.deepEqual(read(hint), {
    text: 'Carol (earlier) is not here: files can’t go to them until they are back',
    names: ['Carol'],
  });
  assert.deepEqual(read(voiceTo), { text: 'to Carol (earlier) (not here)', names: ['Carol'] });
  showSendWhere(null);
  assert.equal(read(hint).text, 'Drop to send to everyone');
});

test('the Files chooser stays shut while nothing can go, and opens again once it can', () => {
  let canGo = false;
  const sent: File[][] = [];
  wireFileSending({ send: (files) => sent.push(files), mayPick: () => canGo });
  const click = (): boolean => {
    let prevented = false;
    const preventDefault = (): void => {
      prevented = true;
    };
    dom.byId('file-input').dispatch('click', { preventDefault });
    return prevented;
  };
  assert.equal(click(), true, 'the chooser does not open');
  canGo = true;
  assert.equal(click(), false);
  assert.deepEqual(sent, []);
});

test('files held over the chat have where they go looked at again once per time they come over it', () => {
  let looks = 0;
  wireFileSending({ send: () => {}, mayPick: () => true, held: () => looks++ });
  const chat = dom.byId('chat');
  const dragover = { dataTransfer: { types: ['Files'], dropEffect: 'none' }, preventDefault: () => {} };
  chat.dispatch('dragover', dragover);
  chat.dispatch('dragover', dragover);
  assert.equal(looks, 1);
  chat.dispatch('dragleave', {});
  chat.dispatch('dragover', dragover);
  assert.equal(looks, 2);
});

test('while a clip is recorded for Bob, the voice bar names Bob whomever the box writes to, and follows only him', () => {
  const voiceTo = dom.byId('voice-to');
  showSendWhere({ id: 'bob', name: 'Bob', away: false });
  pinVoiceTo('bob');
  showSendWhere(null); // Back to everyone while the clip waits
  assert.equal(read(voiceTo).text, 'to Bob');
  showSendWhere({ id: 'bob', name: 'Bob', away: true });
  assert.equal(read(voiceTo).text, 'to Bob (not here)');
  // Back to everyone while he is away: whether he is here is no longer followed, so not said
  // (it said "(not here)" after he was back).
  showSendWhere(null);
  assert.deepEqual(read(voiceTo), { text: 'to Bob', names: ['Bob'] });
  showSendWhere({ id: 'carol', name: 'Carol', away: false });
  assert.equal(read(voiceTo).text, 'to Bob');
  unpinVoiceTo();
  showSendWhere(null);
  assert.equal(read(voiceTo).text, 'to everyone');
});
