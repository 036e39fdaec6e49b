// The call bar: Join (with or without video), Mute, Camera, Hang up, then More on a narrow
// screen (call-more.ts) with what it opens: Share screen, Share screen too and the microphone
// and camera lists (call-devices.ts); each shown, enabled and worded for the call as it stands.
import { devicePicker, showDevices } from './call-devices.ts';
import { createCallFocus } from './call-focus.ts';
import type { CallsModel, CallsViewHandlers } from './call-model.ts';
import { createCallMore } from './call-more.ts';
import { byTestId, el, setAttr, setDisabled, setHidden, setText } from './dom.ts';

/** What Share screen (or Stop sharing) does, on hover. */
function screenTitle(sharing: boolean, cameraOn: boolean): string {
  if (sharing) return 'Stop sharing your screen';
  return cameraOn ? 'Share a screen in place of your camera (it comes back after)' : 'Share a screen with the others';
}

export interface CallControls {
  /** Draws the bar; `focused` had focus before this render (call-focus.ts). */
  render(model: CallsModel, focused: Element | null): void;
  /** The keyboard was on `from`, which went or was hidden: it goes to the call's first control. */
  handOff(from: Element, inCall: boolean): void;
}

export function createCallControls(handlers: CallsViewHandlers): CallControls {
  const buttons = {
    joinAudio: byTestId<HTMLButtonElement>('call-join-audio'),
    joinVideo: byTestId<HTMLButtonElement>('call-join-video'),
    mute: byTestId<HTMLButtonElement>('call-mute'),
    camera: byTestId<HTMLButtonElement>('call-camera'),
    screen: byTestId<HTMLButtonElement>('call-screen'),
    leave: byTestId<HTMLButtonElement>('call-leave'),
  };
  buttons.joinAudio.addEventListener('click', () => handlers.join(false));
  buttons.joinVideo.addEventListener('click', () => handlers.join(true));
  buttons.mute.addEventListener('click', () => handlers.mute());
  buttons.camera.addEventListener('click', () => handlers.camera());
  buttons.screen.addEventListener('click', () => handlers.screen(false));
  // The other way to share: the screen next to the camera, both seen by the others.
  const screenAlongside = el('button', { text: 'Share screen too', testId: 'call-screen-add' });
  screenAlongside.type = 'button';
  screenAlongside.title = 'Share a screen and keep your camera on for the others';
  screenAlongside.hidden = true;
  screenAlongside.addEventListener('click', () => handlers.screen(true));
  buttons.screen.after(screenAlongside);
  buttons.leave.addEventListener('click', () => handlers.leave());
  if (!navigator.mediaDevices?.getDisplayMedia) buttons.screen.hidden = true;
  const pickers = {
    audio: devicePicker('audio', 'Mic', 'Microphone', 'call-mic-select', handlers),
    video: devicePicker('video', 'Camera', 'Camera', 'call-camera-select', handlers),
  };
  // Behind More on a narrow screen (call-more.ts): sharing a screen and the device lists,
  // after Hang up, on a wide screen too.
  const more = createCallMore(buttons.leave);
  more.hold(
    buttons.screen,
    screenAlongside,
    pickers.audio.parentElement as HTMLElement,
    pickers.video.parentElement as HTMLElement,
  );
  const focus = createCallFocus(buttons.leave.parentElement as HTMLElement, buttons, screenAlongside);

  return {
    render(model, focused) {
      const { self } = model;
      const noScreen = !self.inCall || !navigator.mediaDevices?.getDisplayMedia;
      for (const button of [buttons.joinAudio, buttons.joinVideo]) setHidden(button, self.inCall);
      for (const button of [buttons.mute, buttons.camera, buttons.leave]) setHidden(button, !self.inCall);
      setHidden(buttons.screen, noScreen);
      // Next to the camera: only with a camera on, and not while a screen is shared already.
      setHidden(screenAlongside, noScreen || self.screen || !self.video);
      setDisabled(screenAlongside, model.busy);
      for (const button of Object.values(buttons)) setDisabled(button, !model.supported || model.busy);
      setDisabled(buttons.leave, false);
      // While our camera opens, Camera off (or on again) is still taken: the last press counts.
      if (model.cameraOpening) setDisabled(buttons.camera, false);
      // Each button says what a press does, as Camera off / on does: no aria-pressed besides,
      // which made a muted microphone "Unmute, toggle button, pressed", as if it were on.
      setText(buttons.mute, self.audio ? 'Mute' : 'Unmute');
      setText(buttons.camera, model.cameraOn ? 'Camera off' : 'Camera on');
      setText(buttons.screen, self.screen ? 'Stop sharing' : 'Share screen');
      // Beside Share screen too (whose title says it keeps the camera), this one says how it differs.
      setAttr(buttons.screen, 'title', screenTitle(self.screen, model.cameraOn));
      for (const kind of ['audio', 'video'] as const) {
        const choices = self.inCall ? model.devices.list.filter((d) => d.kind === kind) : [];
        showDevices(pickers[kind], choices, model.devices[kind]);
        setDisabled(pickers[kind], model.busy);
      }
      more.render(self.inCall);
      focus.keep(focused, self.inCall);
    },
    handOff: focus.handOff,
  };
}
