// The voice bar (client/view/voice-record.ts) when the clip has nowhere to go: Record does
// nothing while the member written to is away, and a clip whose member went while it was
// recorded stays in the bar, "Not sent", until Send gets it through or Cancel drops it. It was
// thrown away, the chat saying "your message is still in the box". While it waits, the message
// box is back beside it (it stayed hidden, the user unable to write until Cancel threw it away).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { wireVoiceRecording } from '../../client/view/voice-record.ts';
import { CLIP_HELD_TEXT } from '../../client/voice/clip.ts';
import type { RecorderClass, RecorderEnv } from '../../client/voice/recorder.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

/** A stand-in MediaRecorder: start and stop fire their events in the next task, as a browser's do. */
class FakeRecorder extends EventTarget {
  static isTypeSupported = (type: string): boolean => type === 'audio/webm;codecs=opus';
  state: 'inactive' | 'recording' = 'inactive';
  readonly mimeType = 'audio/webm;codecs=opus';
  start(): void {
    this.state = 'recording';
    setImmediate(() => this.dispatchEvent(new Event('start')));
  }
  stop(): void {
    this.state = 'inactive';
    setImmediate(() => {
      this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob(['the clip']) }));
      this.dispatchEvent(new Event('stop'));
    });
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

let dom: FakeDom;
let clock = 0;
let asked = 0;
beforeEach(() => {
  clock = 0;
  asked = 0;
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  dom = installFakeDom([
    'composer',
    'message-input',
    'voice-record',
    'voice-bar',
    'voice-elapsed',
    'voice-send',
    'voice-cancel',
  ]);
  const words = new FakeElement('span');
  words.className = 'voice-words';
  words.textContent = 'Recording';
  dom.byId('voice-bar').append(words);
  dom.byId('voice-bar').hidden = true;
  dom.byId('voice-bar').setAttribute('aria-label', 'Recording a voice message');
});
afterEach(() => {
  dom.restore();
  mock.timers.reset();
});

/** Whether Record is disabled (the stand-in element has no such field of its own). */
const recordDisabled = (): unknown => (dom.byId('voice-record') as unknown as { disabled?: boolean }).disabled;

const env: RecorderEnv = {
  mediaDevices: {
    getUserMedia: (async () => {
      asked++;
      return { getTracks: () => [{ stop() {} }] };
    }) as unknown as MediaDevices['getUserMedia'],
  },
  MediaRecorder: FakeRecorder as unknown as RecorderClass,
  preferredMic: () => null,
  now: () => clock,
};

/**
 * The bar wired with `canGo` saying whether a clip (or a recording) may go now, and `writingTo`
 * whom the box writes to (null: the room).
 */
function voiceBar(canGo: { now: boolean }, writingTo: { id: string | null } = { id: 'carol' }) {
  const sent: File[] = [];
  const sentTo: Array<string | null> = [];
  const notes: Array<string | null> = [];
  wireVoiceRecording({
    send(clip, recordedFor) {
      if (!canGo.now) return false;
      sent.push(clip);
      sentTo.push(recordedFor.to);
      return true;
    },
    mayRecord: () => (canGo.now ? { to: writingTo.id } : null),
    note: (text) => notes.push(text),
    env,
  });
  const bar = dom.byId('voice-bar');
  const click = (id: string) => dom.byId(id).dispatch('click');
  /** Records a second and a half, `meanwhile` happening as it records, then presses Send. */
  const recordAndSend = async (meanwhile: () => void): Promise<void> => {
    click('voice-record');
    await settle();
    assert.equal(bar.hidden, false, 'recording');
    meanwhile();
    clock = 1_500;
    click('voice-send');
    await settle();
  };
  const words = () => bar.querySelector('.voice-words')?.textContent;
  return { sent, sentTo, notes, bar, click, recordAndSend, words };
}

test('Record does nothing while the clip could go nowhere: the microphone is not even asked for', async () => {
  const canGo = { now: false };
  const { click, bar, sent } = voiceBar(canGo);
  click('voice-record');
  await settle();
  assert.equal(asked, 0);
  assert.equal(bar.hidden, true);
  assert.deepEqual(sent, []);
  canGo.now = true; // Carol is back
  click('voice-record');
  await settle();
  assert.equal(asked, 1);
  assert.equal(bar.hidden, false);
});

test('a clip that cannot go at Send waits in the bar, and Send sends that same clip once it can', async () => {
  const canGo = { now: true };
  const { recordAndSend, bar, sent, notes, words, click } = voiceBar(canGo);
  await recordAndSend(() => {
    canGo.now = false; // Carol went while Alice recorded
  });
  assert.equal(sent.length, 0, 'nothing went');
  assert.equal(bar.hidden, false, 'the clip is kept in the bar, not thrown away');
  assert.ok(bar.classList.contains('held'));
  assert.equal(words(), 'Not sent');
  assert.equal(notes.at(-1), CLIP_HELD_TEXT);
  // The message box is back beside it, to write anything meanwhile (it stayed hidden, and only
  // Cancel, which threw the clip away, gave it back); one clip at a time.
  assert.ok(!dom.byId('composer').classList.contains('recording'), 'the message box is back');
  assert.equal(recordDisabled(), true, 'Record waits for this clip to go or be cancelled');
  assert.equal(bar.getAttribute('aria-label'), 'Voice message not sent');
  click('voice-send'); // still away: it waits on
  assert.equal(bar.hidden, false);
  assert.equal(sent.length, 0);
  canGo.now = true; // Carol is back
  click('voice-send');
  assert.equal(sent.length, 1, 'the clip recorded, sent now');
  assert.ok(sent[0]?.type.startsWith('audio/webm'));
  assert.equal(bar.hidden, true);
  assert.equal(notes.at(-1), null, 'the note goes with it');
  assert.equal(words(), 'Recording', 'the next recording says so again');
  assert.ok(!dom.byId('composer').classList.contains('recording'));
  assert.equal(recordDisabled(), false);
  assert.equal(bar.getAttribute('aria-label'), 'Recording a voice message');
});

test('Escape on a clip waiting in the bar drops it, and nothing is sent', async () => {
  const canGo = { now: true };
  const { recordAndSend, bar, sent, click } = voiceBar(canGo);
  await recordAndSend(() => {
    canGo.now = false;
  });
  assert.equal(bar.hidden, false);
  bar.dispatch('keydown', { key: 'Escape', defaultPrevented: false, preventDefault() {} });
  assert.equal(bar.hidden, true);
  canGo.now = true;
  click('voice-send'); // nothing held, nothing recording: nothing
  await settle();
  assert.deepEqual(sent, []);
});

test('a clip goes to whom it was recorded for: held for Carol, it goes to Carol, not to the room the box writes to by then', async () => {
  const canGo = { now: true };
  const writingTo: { id: string | null } = { id: 'carol' };
  const { recordAndSend, sentTo, click } = voiceBar(canGo, writingTo);
  await recordAndSend(() => {
    canGo.now = false; // Carol went while Alice recorded
  });
  writingTo.id = null; // Back to everyone, to tell the room something
  canGo.now = true; // Carol is back
  click('voice-send');
  assert.deepEqual(sentTo, ['carol']);
});
