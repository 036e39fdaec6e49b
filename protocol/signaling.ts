// The signaling contract between browser and server (see DESIGN.md), one concern a file:
// signaling-payloads.ts, what the events carry; signaling-events.ts, the typed event maps;
// signaling-errors.ts, how a refusal reads; signaling-keys.ts, a member's announced keys;
// signaling-parsers.ts, the server's checks of what a client sends. Both sides import the
// types; the page imports no values from here, for the schemas bring zod, which the page's
// entry must not carry (scripts/build-client.ts).
export * from './signaling-errors.ts';
export * from './signaling-events.ts';
export * from './signaling-keys.ts';
export * from './signaling-parsers.ts';
export * from './signaling-payloads.ts';
