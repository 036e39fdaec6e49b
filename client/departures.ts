// "X left" waits a moment before it is said: a member that reloads its tab says goodbye, and
// joins again under the same peer id (its resume ticket) a second or two later. The chat
// then says "X is back" once, instead of "X left" and "X joined". The member list shows the
// going and the coming at once, as always; only the chat's line waits.

/** How long a "left" line waits for its member to come back. */
export const RETURN_WITHIN_MS = 5_000;

export function createDepartures(say: (text: string, about: string) => void, waitMs = RETURN_WITHIN_MS) {
  const waiting = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    /** A member left: `text` is said once it has not come back within the wait. */
    left(id: string, text: string): void {
      clearTimeout(waiting.get(id));
      waiting.set(
        id,
        setTimeout(() => {
          waiting.delete(id);
          say(text, id);
        }, waitMs),
      );
    },
    /** A member joined: true (and `backText` said) if it is one whose "left" still waits. */
    returned(id: string, backText: string): boolean {
      const timer = waiting.get(id);
      if (timer === undefined) return false;
      clearTimeout(timer);
      waiting.delete(id);
      say(backText, id);
      return true;
    },
  };
}
