// The call's status line: who is in the call (or that nobody is), and, while we are in it,
// who cannot join us at all; a polite live region, so screen readers say each change once.
import type { CallsModel, OutOfReach } from './call-model.ts';
import { unheardWords } from './call-silence.ts';
import { byTestId, setData, setText } from './dom.ts';

/**
 * What the call status says: who is in the call (or that nobody is), and, while we are in it,
 * who cannot join us at all. A member reached only through another member gets our chat but
 * never our call: without the last sentence both sides sat in "a call" alone, each told
 * "Nobody else yet", the other member in theirs. One whose direct link worked and is being
 * repaired (an ICE restart, most often back within seconds) is only not reached directly
 * right now: "cannot join you … calls need a direct link or TURN" was read out for the 4 s a
 * repair took, while its media came back (explorer Q).
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
  const repairing = throughOthers.filter((m) => m.repairing);
  const unreachable = throughOthers.filter((m) => !m.repairing);
  return [who, sayRepairing(repairing), sayUnreachable(unreachable)].filter((said) => said !== '').join(' ');
}

/** Through whom: the one member, or "other members". */
const throughWhom = ([only, ...more]: readonly OutOfReach[]): string =>
  only && more.length === 0 ? only.via : 'other members';
const nameList = (members: readonly OutOfReach[]): string => members.map((m) => m.name).join(', ');

function sayRepairing(members: readonly OutOfReach[]): string {
  if (members.length === 0) return '';
  const verb = members.length === 1 ? 'is' : 'are';
  return `${nameList(members)} ${verb} not reached directly right now (only through ${throughWhom(members)}): trying again.`;
}

function sayUnreachable(members: readonly OutOfReach[]): string {
  if (members.length === 0) return '';
  return `${nameList(members)} cannot join you: reached only through ${throughWhom(members)}, and calls need a direct link or TURN.`;
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
        const unheard = p.heard ? null : unheardWords(model.silence(p.id), p.throughOthers, p.repairing);
        const marks = [unheard, p.state.screen ? 'sharing a screen' : null].filter((mark) => mark !== null);
        return marks.length > 0 ? `${p.name} (${marks.join(', ')})` : p.name;
      });
      setData(status, 'count', String(names.length + (self.inCall ? 1 : 0)));
      setData(status, 'inCall', String(self.inCall));
      setText(status, callStatusText(self.inCall, !model.preview && model.busy, names, model.throughOthers));
    },
  };
}
