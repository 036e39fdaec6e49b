// Limits shared by client and server. The server enforces them; the client uses the same
// numbers so that a well-behaved user never hits a server-side rejection.

/** Room ids are nanoid-style: URL-safe alphabet. 16+ characters = 96+ bits when random. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Length of the room ids the client generates (nanoid default alphabet, 6 bits each: 126 bits). */
export const ROOM_ID_LENGTH = 21;
/** Peer ids are the server's to give (nanoid, 12 characters = 72 bits). */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{8,32}$/;
export const PEER_ID_LENGTH = 12;
/** The room key travels only in the URL fragment; 22 characters of base64url = 132 bits. */
export const ROOM_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
export const ROOM_KEY_LENGTH = 22;

/**
 * The data-channel protocol's version, in every hello. Here rather than with the channel's
 * schemas (channel/core.ts) so that the page's entry script, which makes hellos' proofs,
 * imports a constant instead of every channel schema and zod with them. 3: history requests
 * and answers carry a request number (channel/history.ts), sent only to members that said 3.
 * 4: a chat line may carry the line it answers (`re`, channel/chat.ts), sent only to members
 * that said 4. 5: a line's author may edit or delete it (`chat:edit`, channel/edits.ts; history
 * lines carry `edited` and `deleted`), sent only to members that said 5. 6: the receiver of
 * files decides when each starts (channel/files.ts FILE_QUEUE_VERSION): a member that said 6
 * is offered every file at once and says `file:queued` of one it took but holds back; one
 * that said less is offered 4 at a time, as before. 7: after its hello, a member proves it
 * holds the key it announced (`key:held`, channel/core.ts KEY_HOLD_VERSION), sent only to
 * members that said 7. 8: a file sent to the room is offered to members who join later, its
 * offer saying when it was sent (`at`, channel/files.ts FILE_EARLIER_VERSION), only to members
 * that said 8. 9: the room's name, set by any member, signed by its setter (`room:name`,
 * channel/room.ts ROOM_NAME_VERSION), sent only to members that said 9. 10: the receiver of an
 * edit or deletion acknowledges it (`ack`, under channel/edits.ts editAckId, which an older page
 * takes and ignores), and its author sends it again until it does (channel/edits.ts
 * EDIT_ACK_VERSION): from members that said 9 or less no ack is awaited. 11: a file offer may
 * carry the line the file answers (`re`, channel/files.ts FILE_REPLY_VERSION), and a call:state
 * with video on says since when (`videoSince`, channel/calls.ts CALL_SINCE_VERSION), each sent
 * only to members that said 11. 12: a sender that can no longer read a file it sends says so
 * (file:cancel `unreadable`, channel/files.ts FILE_UNREADABLE_VERSION), only to members that
 * said 12.
 */
export const CHANNEL_PROTOCOL_VERSION = 12;

export const NAME_MIN_LENGTH = 1;
export const NAME_MAX_LENGTH = 32;

export const DEFAULT_MAX_ROOM_SIZE = 16;

/**
 * The page's longest wait between two attempts to reach the server again (Socket.IO's
 * reconnectionDelayMax, client/signaling-socket.ts). Socket.IO's randomization never takes
 * a wait past it (its backoff clips at the max). Here because the server counts on it: after a
 * restart, every page that was connected is back within it (server/returning.ts).
 */
export const RECONNECT_DELAY_MAX_MS = 2_000;

/** An SDP for one data channel is ~1 KB; with many candidates inline it stays well under this. */
export const MAX_SDP_LENGTH = 16_000;
export const MAX_CANDIDATE_LENGTH = 1_024;
/** An ICE candidate's other fields: its media id, m-line index and ICE username fragment. */
export const MAX_SDP_MID_LENGTH = 64;
export const MAX_M_LINE_INDEX = 1_024;
export const MAX_USERNAME_FRAGMENT_LENGTH = 256;
/** A member's announced keys: raw P-256 public keys (65 bytes) in base64url are 87 characters; HMAC-SHA256 is 43. */
export const PUBLIC_KEY_PATTERN = /^[A-Za-z0-9_-]{80,100}$/;
export const KEY_PROOF_PATTERN = /^[A-Za-z0-9_-]{40,64}$/;
/** ECDSA P-256 signatures (IEEE P1363, 64 bytes) in base64url: 86 characters. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** A resume ticket's token (server/resume.ts makes them). */
export const MIN_RESUME_TOKEN_LENGTH = 16;
export const MAX_RESUME_TOKEN_LENGTH = 128;
/** Socket.IO's maxHttpBufferSize: far below its 1 MB default (OWASP suggests <= 64 KB). */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

/** Chat text, in UTF-16 code units as the browser counts them. */
export const MAX_CHAT_LENGTH = 4_000;
/** Any single data-channel message, as received. Bigger ones are dropped unread. */
export const MAX_CHANNEL_MESSAGE_LENGTH = 32 * 1024;
/**
 * A sealed message relayed through a member (channel/relay.ts): room for its envelope within
 * one channel message. Here, with no schema, because the page's entry seals (announce.ts).
 */
export const MAX_SEALED_LENGTH = MAX_CHANNEL_MESSAGE_LENGTH - 256;
/**
 * A sender's clock further off than this from ours is not believed: its line shows, and
 * counts for history, as written when it reached us (view/lines.ts, features/transcript.ts).
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The longest wait a server:cut notice may ask for (server-events.ts parseCutNotice): a
 * longer one is not a server's.
 */
export const MAX_CUT_WAIT_MS = 60_000;
