// Our latest edits outlive a reload of the tab: kept in its sessionStorage (storage.ts),
// beside its signing key, each as the `chat:edit` message it was sent as, and taken back
// under the same peer id only: a reload that got a new one edits as someone else. Each is
// read with the protocol's parser, as a member's would be; anything else is left out.
import { encodeChannelMessage, MAX_EDIT_SYNC, type MessageOf, parseChannelMessage } from '../../protocol/index.ts';
import { ownEntries } from '../storage.ts';

type EditMessage = MessageOf<'chat:edit'>;

/** Where our latest edits are kept across a reload (storage.ts): what `save` was given, or anything. */
export interface EditStore {
  load(): unknown;
  save(saved: { from: string; edits: string[] }): void;
}

/** The form kept: each of our edits as the message it is sent as. */
export const keepForm = (from: string, edits: Iterable<EditMessage>): { from: string; edits: string[] } => ({
  from,
  edits: [...edits].map(encodeChannelMessage),
});

/** Our edits as saved, if they are ours (`from`: a reload that got a new peer id cannot send them). */
export function savedEdits(saved: unknown, from: string): EditMessage[] {
  return ownEntries(saved, from, 'edits', MAX_EDIT_SYNC)
    .map(parseChannelMessage)
    .filter((message): message is EditMessage => message?.t === 'chat:edit');
}
