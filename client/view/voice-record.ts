// Voice messages: the Record button beside Send and Files, and the bar that takes the message
// box's place while one records: the time so far, Send and Cancel (Escape too). The keyboard
// goes to the bar's Send as it shows and back to the message box as it goes. The recording is
// voice/recorder.ts's; the clip goes as a picked file does (`send`), and a clip not sent says
// why in the note under the message box.
import { CLIP_PROBLEM_TEXT, formatClipTime, MIC_STOPPED_TEXT } from '../voice/clip.ts';
import { createVoiceRecorder, type RecordingEnd } from '../voice/recorder.ts';
import { pageAnnouncer } from './announcer.ts';
import { byTestId } from './dom.ts';

/** The time shown is read this often: a new second shows within a quarter of one. */
const TICK_MS = 250;

export interface VoiceRecordOptions {
  /** Sends the clip, as files picked are sent (wiring/files.ts). */
  send(files: File[]): void;
  /** The note under the message box (composer-notes.ts), or null: none. */
  note(text: string | null): void;
}

export function wireVoiceRecording({ send, note }: VoiceRecordOptions): void {
  const composer = document.getElementById('composer') as HTMLFormElement;
  const box = byTestId<HTMLTextAreaElement>('message-input');
  const record = byTestId<HTMLButtonElement>('voice-record');
  const bar = byTestId<HTMLElement>('voice-bar');
  const time = byTestId<HTMLElement>('voice-elapsed');
  const sendButton = byTestId<HTMLButtonElement>('voice-send');
  const cancelButton = byTestId<HTMLButtonElement>('voice-cancel');
  let ticking: ReturnType<typeof setInterval> | undefined;

  const showTime = (): void => {
    time.textContent = formatClipTime(recorder.elapsed() / 1000) ?? '0:00';
  };
  const ended = (end: RecordingEnd): void => {
    clearInterval(ticking);
    // Asked before the bar hides: a hidden button loses the keyboard to the page.
    const keyboardOnBar = bar.contains(document.activeElement);
    composer.classList.remove('recording');
    bar.hidden = true;
    time.textContent = '0:00';
    if (keyboardOnBar) box.focus();
    if (end.kind === 'sent') {
      note(end.micStopped ? MIC_STOPPED_TEXT : null);
      send([end.file]);
    } else if (end.kind === 'problem') note(CLIP_PROBLEM_TEXT[end.problem]);
    else pageAnnouncer().say('Voice message cancelled');
  };
  const recorder = createVoiceRecorder({
    started() {
      // The bar in the message box's place (styles.css hides the rest of the form's row).
      composer.classList.add('recording');
      bar.hidden = false;
      showTime();
      ticking = setInterval(showTime, TICK_MS);
      sendButton.focus();
    },
    ended,
  });

  record.addEventListener('click', () => {
    note(null); // what the last one said no longer holds
    void recorder.start();
  });
  sendButton.addEventListener('click', () => recorder.send());
  cancelButton.addEventListener('click', () => recorder.cancel());
  bar.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    recorder.cancel();
  });
}
