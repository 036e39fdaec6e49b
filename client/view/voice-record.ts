// Voice messages: the Record button beside Send and Files, and the bar that takes the message
// box's place while one records: the time so far, where it goes (send-where.ts fills that),
// Send and Cancel (Escape too). The keyboard goes to the bar's Send as it shows and back to
// the message box as it goes. The recording is voice/recorder.ts's; the clip goes as a picked
// file does (`send`: as the reply being written, if any, whose bar stays over this one while it
// records, and whose words its Send is described by too: index.html), and a clip not sent says
// why in the note under the message box.
//
// What the user recorded is never thrown away for want of somewhere to send it: Record does
// nothing while the member written to is away, and a clip that could not go at Send (that
// member went meanwhile) stays in the bar, "Not sent", for Send again or Cancel. The bar then
// gives the message box back and waits on a row of its own under it: the room's box stayed
// hidden, Back to everyone did nothing to be seen, and only Cancel, which threw the clip away,
// let the user write again (a member who never came back). Record waits for it to go or be
// cancelled (one clip waits at a time).
import { CLIP_HELD_TEXT, CLIP_PROBLEM_TEXT, formatClipTime, MIC_STOPPED_TEXT } from '../voice/clip.ts';
import { browserRecorderEnv, createVoiceRecorder, type RecorderEnv, type RecordingEnd } from '../voice/recorder.ts';
import { pageAnnouncer } from './announcer.ts';
import { byTestId } from './dom.ts';
import type { ReplyTarget } from './reply-compose.ts';
import { pinVoiceTo, unpinVoiceTo } from './send-where.ts';

/** The time shown is read this often: a new second shows within a quarter of one. */
const TICK_MS = 250;
/** The bar's name while a clip waits in it (index.html names it for recording). */
const HELD_LABEL = 'Voice message not sent';
/** Record's title while a clip waits: one clip at a time. */
const RECORD_HELD_TITLE = 'A voice message waits to be sent: Send or Cancel it first';

/** Whom a clip is recorded for: a member's id, or null for the room. */
export interface ClipFor {
  readonly to: string | null;
  /**
   * The reply it answers, taken at its first Send (wiring/files.ts): a clip held since goes
   * with it, not with whatever reply is being written when it goes at last. Unset: not tried yet.
   */
  answers?: ReplyTarget | null;
}

export interface VoiceRecordOptions {
  /** Sends the clip to whom it was recorded for (wiring/files.ts); false: it could not go, and the chat said why. */
  send(clip: File, recordedFor: ClipFor): boolean;
  /**
   * Whom a recording started now is for (where the box writes to); null: it could go nowhere
   * (the member written to is away), and the chat said so.
   */
  mayRecord(): ClipFor | null;
  /** The note under the message box (composer-notes.ts), or null: none. */
  note(text: string | null): void;
  /** The microphone and recorder: the browser's, or stand-ins in a test. */
  env?: RecorderEnv;
}

export function wireVoiceRecording({ send, mayRecord, note, env = browserRecorderEnv() }: VoiceRecordOptions): void {
  const composer = document.getElementById('composer') as HTMLFormElement;
  const box = byTestId<HTMLTextAreaElement>('message-input');
  const record = byTestId<HTMLButtonElement>('voice-record');
  const bar = byTestId<HTMLElement>('voice-bar');
  const words = bar.querySelector<HTMLElement>('.voice-words');
  const time = byTestId<HTMLElement>('voice-elapsed');
  const sendButton = byTestId<HTMLButtonElement>('voice-send');
  const cancelButton = byTestId<HTMLButtonElement>('voice-cancel');
  const recordTitle = record.title;
  const barLabel = bar.getAttribute('aria-label') ?? '';
  let ticking: ReturnType<typeof setInterval> | undefined;
  /** A clip recorded that could not go: it waits in the bar for Send or Cancel. */
  let held: File | null = null;
  /**
   * Whom the clip being recorded or held is for, fixed at Record: never whoever the box writes
   * to by Send (a clip held for Bob, gone, went to the room after Back to everyone).
   */
  let recordedFor: ClipFor = { to: null };

  const showTime = (): void => {
    time.textContent = formatClipTime(recorder.elapsed() / 1000) ?? '0:00';
  };
  /** The bar goes, the message box back in its place. */
  const hideBar = (): void => {
    // Asked before the bar hides: a hidden button loses the keyboard to the page.
    const keyboardOnBar = bar.contains(document.activeElement);
    held = null;
    unpinVoiceTo();
    composer.classList.remove('recording');
    bar.classList.remove('held');
    bar.setAttribute('aria-label', barLabel);
    record.disabled = false;
    record.title = recordTitle;
    bar.hidden = true;
    if (words) words.textContent = 'Recording';
    time.textContent = '0:00';
    if (keyboardOnBar) box.focus();
  };
  /**
   * The clip stays in the bar, its length still shown, and Send keeps the keyboard; the message
   * box is back beside it (styles.css puts the held bar on a row of its own).
   */
  const hold = (clip: File): void => {
    held = clip;
    composer.classList.remove('recording');
    bar.classList.add('held');
    bar.setAttribute('aria-label', HELD_LABEL);
    record.disabled = true;
    record.title = RECORD_HELD_TITLE;
    if (words) words.textContent = 'Not sent';
    note(CLIP_HELD_TEXT);
  };
  /** Send on a held clip: it goes now if it can, else it waits on (the chat says why again). */
  const sendHeld = (clip: File): void => {
    if (!send(clip, recordedFor)) return;
    note(null);
    hideBar();
  };
  const cancel = (): void => {
    if (held === null) {
      recorder.cancel();
      return;
    }
    note(null);
    hideBar();
    pageAnnouncer().say('Voice message cancelled');
  };
  const ended = (end: RecordingEnd): void => {
    clearInterval(ticking);
    if (end.kind === 'sent') {
      note(end.micStopped ? MIC_STOPPED_TEXT : null);
      if (send(end.file, recordedFor)) hideBar();
      else hold(end.file);
      return;
    }
    hideBar();
    if (end.kind === 'problem') note(CLIP_PROBLEM_TEXT[end.problem]);
    else pageAnnouncer().say('Voice message cancelled');
  };
  const recorder = createVoiceRecorder(
    {
      started() {
        // The bar in the message box's place (styles.css hides the rest of the form's row).
        composer.classList.add('recording');
        bar.hidden = false;
        showTime();
        ticking = setInterval(showTime, TICK_MS);
        sendButton.focus();
      },
      ended,
    },
    env,
  );

  record.addEventListener('click', () => {
    note(null); // what the last one said no longer holds
    // Asked before the microphone is: a clip that could go nowhere is not recorded at all.
    const clipFor = mayRecord();
    if (clipFor === null) return;
    recordedFor = clipFor;
    pinVoiceTo(clipFor.to);
    void recorder.start();
  });
  sendButton.addEventListener('click', () => {
    if (held === null) recorder.send();
    else sendHeld(held);
  });
  cancelButton.addEventListener('click', cancel);
  bar.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    cancel();
  });
}
