// Our own name, with one owner: the name the server accepted for us in this room (the one
// others see: a peer's claim about itself is never taken, so neither is ours), a name chosen
// while the join was in flight (the join carries the remembered one; a rename right after it
// asks for the new one), renaming (the server may refuse: taken, or not a name), and a join
// whose name was taken (the server's free variant, for this room only). Separate from main.ts
// because everything else only reads the name (selfName) or asks for a change.
import { normalizeName, type ProtocolError, type RenameAck } from '../../protocol/index.ts';
import { keysMeet, type NameKeys } from '../../protocol/name-skeleton.ts';
import { isolate } from '../isolate.ts';
import { freeNameVariant } from '../name-variant.ts';
import { saveName } from '../storage.ts';
import type { PageView } from '../view/page.ts';

export interface OwnNameOptions {
  /** The name the page joins under (remembered, or generated: joining.ts). */
  initial: string;
  /** Why the remembered name was not taken (joining.ts), or null: said once joined. */
  initialRefused?: string | null;
  /** Joined: a rename goes to the server (before that, the join carries the name). */
  inRoom(): boolean;
  /** Asks the server for the name; null when it did not answer. */
  ask(name: string): Promise<RenameAck | null>;
  page: Pick<PageView, 'setName' | 'nameHint' | 'offerName'>;
  /** The names of the members here (to offer a free variant of a taken one, and name its holder). */
  others(): string[];
  /** Names compared as the server compares them (twins.ts keysOf): one name when they share a key. */
  nameKeys(name: string): NameKeys;
  /** Keeps the name this tab has in the room now, for its next load (storage.ts saveTabName). */
  keepForTab(name: string): void;
  /** Says a line in the chat. */
  say(text: string): void;
  /** The server accepted a new name: what draws ours (the member list, our call tile) again. */
  renamed(): void;
}

export interface OwnName {
  /** The name we have: the server's word once joined. */
  current(): string;
  /** The server put us in the room under `accepted`. */
  joined(accepted: string): void;
  /** A name chosen while the join was in flight is asked for now (call once joined). */
  askChosen(): void;
  /** The name we join under is taken here: the server's variant, said on the page and in the chat once joined. */
  taken(error: ProtocolError): void;
  /** The user asks for `raw` as their name. */
  rename(raw: string): Promise<void>;
}

export function createOwnName({
  initial,
  initialRefused = null,
  inRoom,
  ask,
  page,
  others,
  nameKeys,
  keepForTab,
  say,
  renamed,
}: OwnNameOptions): OwnName {
  let name = initial;
  /** A name chosen while the join was in flight: applied by a rename once joined. */
  let pendingName: string | null = null;
  /**
   * The name we asked for, found taken, while the join under its variant is out: said once
   * joined. Said at once, it told a page the room then refused (full) that it was the variant,
   * and to "change it any time" with renaming off.
   */
  let takenName: string | null = null;
  /** Why the remembered name was refused, until said (once joined). */
  let refused = initialRefused;

  async function rename(raw: string): Promise<void> {
    const result = normalizeName(raw);
    if (!result.ok) {
      page.nameHint(`That name does not work: ${result.reason}.`, 'invalid');
      return;
    }
    if (result.name === name) {
      // Nothing to ask; what the hint said of an earlier try (a refusal) no longer holds.
      page.nameHint(null);
      page.setName(name, true);
      return;
    }
    if (!inRoom()) {
      // Not in the room yet: the join carries it, or a rename right after the join does.
      name = result.name;
      pendingName = name;
      saveName(name);
      page.nameHint(null);
      return;
    }
    const ack = await ask(result.name);
    if (!ack?.ok) {
      const error = ack?.error;
      // The box shows the name we have, not the one refused (the hint says which that was).
      page.setName(name, true);
      if (error?.code === 'name_taken') {
        const here = others();
        const known = [name, ...here];
        // The name as its holder has it ("Sam" when "Ｓam" was asked): the one to tell apart.
        const wanted = nameKeys(result.name);
        const holder = here.find((other) => keysMeet(nameKeys(other), wanted)) ?? result.name;
        page.offerName(
          `Someone here is already “${isolate(holder)}”; you are still “${isolate(name)}”.`,
          error.suggestion ?? freeNameVariant(result.name, known),
        );
        return;
      }
      page.nameHint(
        `Could not rename to “${isolate(result.name)}”: ${error?.message ?? 'the server did not answer'}. You are still “${isolate(name)}”.`,
        'refused',
      );
      return;
    }
    name = ack.name;
    saveName(name);
    keepForTab(name);
    page.nameHint(null);
    page.setName(name);
    renamed();
    say(`You are now ${isolate(name)}`);
  }

  return {
    current: () => name,
    joined(accepted) {
      name = accepted;
      keepForTab(name);
      if (refused !== null) {
        // Replaced without a word, a name kept under older rules read as the page forgetting it.
        const told = `The name this browser remembered no longer works (${refused}), so you are “${isolate(name)}”. Change it any time.`;
        refused = null;
        page.nameHint(told);
        say(told);
      }
      if (takenName === null) return;
      const told = `“${isolate(takenName)}” is taken in this room, so you are “${isolate(name)}”. Change it any time.`;
      takenName = null;
      page.nameHint(told);
      // Also in the chat: on a phone the name form is behind the People toggle.
      say(told);
    },
    askChosen() {
      if (pendingName === null) return;
      const wanted = pendingName;
      pendingName = null;
      void rename(wanted);
    },
    taken(error) {
      const taken = name;
      name = error.suggestion ?? freeNameVariant(taken, [taken]);
      // The name asked for first, if the variant was taken too: the one the user chose.
      takenName ??= taken;
      // Not the browser's name: the variant is for this room while the name is taken (by
      // this browser's other tab, say); the next room gets the name the user chose. This
      // tab keeps it for its reloads (its members know it by it). Told once joined under it.
      keepForTab(name);
      page.setName(name);
    },
    rename,
  };
}
