// Your name: the name form (submitting it asks for a rename), the name shown in its box, and
// the hint under it — why a name was refused, a free variant to take in one click, or that
// the box is full.
import { byTestId, el } from './dom.ts';
import { sentenceNodes, thousands } from './text.ts';

/** What is wrong, as a name hint says it (PageView.nameHint). */
export type NameProblem = 'invalid' | 'refused';

export interface NameForm {
  /** Our name in the name box (left alone while the user is typing there, unless `replace`). */
  set(name: string, replace: boolean): void;
  /** The hint under the name field, or null: none (PageView.nameHint). */
  hint(message: string | null, problem: NameProblem | null): void;
  /** The name was refused as taken: `message`, and a free variant to take in one click. */
  offer(message: string, variant: string): void;
}

/** `rename`: the name asked for (the form submitted, or a variant taken). */
export function createNameForm(rename: (name: string) => void): NameForm {
  const nameForm = document.getElementById('name-form') as HTMLFormElement;
  const nameInput = byTestId<HTMLInputElement>('name-input');
  const nameHint = document.getElementById('name-hint') as HTMLElement;

  // The name box stops at its maxlength, as the message box does (composer.ts): its hint says so.
  const nameLimit = () => `${thousands(nameInput.maxLength)} characters at most.`;
  nameInput.addEventListener('input', () => {
    if (nameInput.value.length >= nameInput.maxLength) hint([nameLimit()], null);
    else if (nameHint.textContent === nameLimit()) hint([], null);
  });

  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    rename(nameInput.value);
  });

  function hint(parts: (string | HTMLElement)[], problem: NameProblem | null): void {
    nameInput.setAttribute('aria-invalid', problem === 'invalid' ? 'true' : 'false');
    nameHint.classList.toggle('invalid', problem !== null);
    // Names in the sentence are drawn isolated, as in the chat's system lines (isolate.ts).
    nameHint.replaceChildren(...parts.flatMap((part) => (typeof part === 'string' ? sentenceNodes(part) : [part])));
  }

  return {
    set(name, replace) {
      if (replace || document.activeElement !== nameInput) nameInput.value = name;
    },
    hint(message, problem) {
      hint(message === null ? [] : [message], problem);
    },
    offer(message, variant) {
      const take = el('button', { className: 'name-offer', testId: 'name-suggestion', text: `Use “${variant}”` });
      take.type = 'button';
      take.dataset.name = variant;
      take.addEventListener('click', () => {
        nameInput.value = variant;
        rename(variant);
      });
      hint([`${message} `, take], 'refused');
    },
  };
}
