// The call bar's microphone and camera lists: which device of each kind the call uses, shown
// only when there is another to pick.
import type { DeviceChoice } from '../calls/local-media.ts';
import type { CallsViewHandlers } from './call-model.ts';
import { el, setAttr, setHidden } from './dom.ts';

/**
 * A list of the devices of one kind, in a label with a short visible name (`shown`; `name`
 * for screen readers); shown only when there is a choice to make. Its title is the full
 * name of the device in use: a long one is cut short in the list. Another picked goes to
 * `handlers.device`.
 */
export function devicePicker(
  kind: 'audio' | 'video',
  shown: string,
  name: string,
  testId: string,
  handlers: Pick<CallsViewHandlers, 'device'>,
): HTMLSelectElement {
  const label = el('label', { className: 'call-device-label' });
  const select = el('select', { className: 'call-device', testId });
  select.setAttribute('aria-label', name);
  label.append(el('span', { text: shown }), select);
  label.hidden = true;
  select.addEventListener('change', () => handlers.device(kind, select.value));
  return select;
}

/** The list's choices (its options made again only when they change) and the one in use. */
export function showDevices(select: HTMLSelectElement, choices: readonly DeviceChoice[], current: string | null): void {
  setHidden(select.parentElement as HTMLElement, choices.length < 2 || current === null);
  const key = choices.map((c) => `${c.deviceId}\t${c.label}`).join('\n');
  if (select.dataset.devices !== key) {
    select.dataset.devices = key;
    select.replaceChildren(
      ...choices.map((choice) => {
        const option = el('option', { text: choice.label });
        option.value = choice.deviceId;
        return option;
      }),
    );
  }
  if (current !== null && select.value !== current) select.value = current;
  setAttr(select, 'title', select.selectedOptions[0]?.text ?? '');
}
