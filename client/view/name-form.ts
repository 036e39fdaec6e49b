// Your name: the name form (submitting it asks for a rename), the name shown in its box, and
// the hint under it — why a name was refused, a free variant to take in one click, or that
// the box is full.
import { NAME_MAX_LENGTH } from '../../protocol/index.ts';
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

  // The name box stops at NAME_MAX_LENGTH characters, as the message box stops at its limit
  // (composer.ts), and its hint says so. Characters as the server counts them, code points:
  // the box's maxlength counts UTF-16 units, in which an emoji is two, so it cut a name of 32
  // emoji to 16 without a word (an exploratory pass). Its maxlength is four times the limit, a
  // bound for typing and pasting past which the browser cuts without a word (at twice, a paste
  // of 40 emoji was cut to 32 there, unsaid); the cut to the limit is made here, and said.
  // A name cut says so: a pasted name of 40 became its first 32 and was taken at Enter, the
  // hint at the limit saying only how long a name may be.
  const nameLimit = `${thousands(NAME_MAX_LENGTH)} characters at most.`;
  const nameCut = `${thousands(NAME_MAX_LENGTH)} characters at most: the rest was left out.`;
  /** What the last cut left in the box: told again as it is (a paste's input comes twice). */
  let cutTo: string | null = null;
  nameInput.addEventListener('input', (event) => {
    // Not while an input method composes: the cut would break the word being composed.
    if ((event as InputEvent).isComposing) return;
    const characters = [...nameInput.value];
    if (characters.length > NAME_MAX_LENGTH) {
      cutTo = characters.slice(0, NAME_MAX_LENGTH).join('');
      nameInput.value = cutTo;
      hint([nameCut], null);
    } else if (characters.length === NAME_MAX_LENGTH && nameInput.value !== cutTo) hint([nameLimit], null);
    else if (characters.length < NAME_MAX_LENGTH && [nameLimit, nameCut].includes(nameHint.textContent ?? '')) {
      hint([], null);
    }
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
