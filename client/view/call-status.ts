// The call's status line: who is in the call (or that nobody is), and, while we are in it,
// who cannot join us at all; a polite live region, so screen readers say each change once.
import type { CallsModel, OutOfReach } from './call-model.ts';
import { unheardWords } from './call-silence.ts';
import { byTestId, setData, setText } from './dom.ts';

/**
 * What the call status says: who is in the call (or that nobody is), and, while we are in it,
 * who cannot join us at all. A member reached only through another member gets our chat but
 * never our call: without the last sentence both sides sat in "a call" alone, each told
 * "Nobody else yet", the other member in theirs.
 */
export function callStatusText(
  inCall: boolean,
  joining: boolean,
  names: readonly string[],
  throughOthers: readonly OutOfReach[],
): string {
  if (!inCall) {
    return names.length === 0 ? 'No call running.' : `In the call: ${names.join(', ')}. Join with one click.`;
  }
  if (joining) return 'Joining: opening your camera and microphone…';
  const who = names.length === 0 ? 'You are in the call. Nobody else yet.' : `In the call with ${names.join(', ')}.`;
  const [only] = throughOthers;
  if (only === undefined) return who;
  const through = throughOthers.length === 1 ? only.via : 'other members';
  return `${who} ${throughOthers.map((m) => m.name).join(', ')} cannot join you: reached only through ${through}, and calls need a direct link or TURN.`;
}

export interface CallStatus {
  /** The status line itself: who is speaking is shown right after it (call-speaking.ts). */
  element: HTMLElement;
  render(model: CallsModel): void;
}

export function createCallStatus(): CallStatus {
  const status = byTestId<HTMLElement>('call-status');
  // Joining, and others joining or leaving, said by screen readers: a polite status, its text
  // written only when it changes (setText), so each change is said once, not each redraw.
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  return {
    element: status,
    render(model) {
      const { self } = model;
      // A member we do not hear is said so here too: its tile shows only its last picture. And
      // one sharing a screen: a screen reader heard nothing of a share starting or stopping.
      const names = model.participants.map((p) => {
        const unheard = p.heard ? null : unheardWords(model.silence(p.id), p.throughOthers);
        const marks = [unheard, p.state.screen ? 'sharing a screen' : null].filter((mark) => mark !== null);
        return marks.length > 0 ? `${p.name} (${marks.join(', ')})` : p.name;
      });
      setData(status, 'count', String(names.length + (self.inCall ? 1 : 0)));
      setData(status, 'inCall', String(self.inCall));
      setText(status, callStatusText(self.inCall, !model.preview && model.busy, names, model.throughOthers));
    },
  };
}
