// How the server refuses a signaling event: the code a page and the tests act on, and the
// few details that go with some codes.

/** Every rejection carries one of these codes; clients and tests rely on them. */
export type ErrorCode =
  | 'bad_request' // payload missing, of the wrong shape, or too large
  | 'invalid_room' // room id does not match ROOM_ID_PATTERN
  | 'invalid_name' // display name empty, too long or with control characters
  | 'name_taken' // another member of the room already uses this name (see suggestion)
  | 'room_full' // the room already holds its maximum of members
  | 'not_in_room' // the event needs a joined room (signal before join)
  | 'already_joined' // room:join on a socket that is already in a room
  | 'rate_limited' // too many events of this kind; slow down
  | 'shutting_down' // the server is going away; reconnect (to another node)
  | 'internal'; // our fault; the client may retry

export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /** With name_taken: a free variant of the name ("Alice 2") the client may offer instead. */
  suggestion?: string;
  /**
   * With name_taken, when the name is held by the join's own ticket, on a connection that
   * has not yet missed its heartbeat: the same join takes id and name back after this long.
   * With `resuming`: the longest the other join's hold on the peer id can still stand (it
   * usually ends much sooner, with that join); the same join may ask again meanwhile, and
   * gets through by then at the latest.
   */
  retryAfterMs?: number;
  /**
   * With name_taken: not a name clash, but another join taking this peer id back with its
   * ticket right now. A flag on name_taken rather than a code of its own: a page of an
   * earlier build knows no such code and would stop at "Could not join"; as name_taken with
   * retryAfterMs it waits, as it always did.
   */
  resuming?: true;
  /**
   * With room_full: the most members a room may have on this server (its MAX_ROOM_SIZE), for
   * the page to say. The message says it too, in words.
   */
  maxRoomSize?: number;
}
