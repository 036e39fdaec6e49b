// The member our lines and files go to privately, or nobody (everyone gets them): the one
// owner of that choice. Private mode ends, and says so, when that member goes: on its
// "left" line, and also when the mesh drops it quietly (our own new peer id resets every
// link), because what was meant for one member must never go to everyone instead.
import type { MemberHandle } from './feature.ts';

export interface PrivateTargetOptions {
  member(peerId: string): MemberHandle | undefined;
  /** The choice changed: the composer's bar and the member list show it. */
  shown(target: { id: string; name: string } | null): void;
  /** A line for the chat. */
  say(text: string): void;
}

/** Where our next line or file goes. */
export type Destination = { to: MemberHandle | null } | 'gone';

export function createPrivateTarget({ member, shown, say }: PrivateTargetOptions) {
  let chosen: string | null = null;
  /** Its name when chosen or renamed, to say who went. */
  let chosenName = '';

  function choose(peerId: string | null): void {
    const target = peerId === null ? undefined : member(peerId);
    chosen = target ? target.id : null;
    chosenName = target?.name ?? '';
    shown(target ? { id: target.id, name: target.name } : null);
  }

  /** Ends private mode if its member is gone; true if it did. */
  function lost(sending: boolean): boolean {
    if (chosen === null || member(chosen)) return false;
    const name = chosenName || 'The member you wrote to';
    choose(null);
    say(`${name} is no longer here: ${sending ? 'nothing was sent, and ' : ''}your messages go to everyone again.`);
    return true;
  }

  return {
    choose,
    /** The chosen member's id, or null. */
    current: (): string | null => chosen,
    /**
     * Where what we send now goes: the chosen member, or everyone (null). 'gone' when the
     * chosen member is no longer here: nothing may go, and private mode has ended.
     */
    destination(): Destination {
      if (lost(true)) return 'gone';
      return { to: chosen === null ? null : (member(chosen) ?? null) };
    },
    /** The member list changed: ends private mode, saying so, if its member is gone. */
    membersChanged(): void {
      lost(false);
    },
    /** A member's "left" line: said once, with its name. */
    left(peerId: string, name: string): void {
      if (peerId !== chosen) return;
      choose(null);
      say(`${name} left: your messages go to everyone again.`);
    },
    renamed(peerId: string): void {
      if (peerId === chosen) choose(peerId);
    },
  };
}

export type PrivateTarget = ReturnType<typeof createPrivateTarget>;
