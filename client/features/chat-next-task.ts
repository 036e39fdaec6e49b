// Where the chat's WebCrypto work waits: in the task after the one a line came or went in
// (chat-receive.ts, chat-send.ts), so that the line is not held up by it.

/**
 * The next task: for a received direct line's signature check, and for our own line's drawing
 * and signing. Started in the line's task, the check ran before the line reached the page
 * (WebCrypto verifies on the main thread, ~0.1-0.2 ms a line in a trace of the latency bench),
 * and the line's frame waited for it too.
 */
export const afterThisTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
