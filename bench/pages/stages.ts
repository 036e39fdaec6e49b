// Injected into both flavors' pages (an init script) for the stages part: stamps each latency
// line (`lat:i:…`) where it passes the page's own boundaries with the browser — the sender's
// RTCDataChannel.send call, and the receiver's channel message listener (its start and its
// end) — so that a line's latency splits into our send path, the channel, our receiving
// handler and the rest until the line is on the page. Wraps the prototypes before the
// page's own script runs; what it adds per message is one regular expression.
import { now, type StageStamps } from './shared.ts';

declare global {
  interface Window {
    __stages: StageStamps;
  }
}

const stamps: StageStamps = { sent: {}, arrived: {}, handled: {} };
window.__stages = stamps;

/** The line number of a latency line, raw (bare page) or inside a JSON message (roomlink). */
function lineOf(data: unknown): string | null {
  if (typeof data !== 'string') return null;
  return /lat:(\d+):/.exec(data)?.[1] ?? null;
}

function stamped(listener: (this: RTCDataChannel, event: MessageEvent) => unknown) {
  return function (this: RTCDataChannel, event: MessageEvent): unknown {
    const line = lineOf(event.data);
    if (line !== null) stamps.arrived[line] ??= now();
    const result = listener.call(this, event);
    if (line !== null) stamps.handled[line] ??= now();
    return result;
  };
}

const send = RTCDataChannel.prototype.send;
RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
  const line = lineOf(data);
  if (line !== null) stamps.sent[line] ??= now();
  return send.call(this, data);
} as typeof send;

const addEventListener = EventTarget.prototype.addEventListener;
EventTarget.prototype.addEventListener = function (
  this: EventTarget,
  type: string,
  listener: EventListenerOrEventListenerObject | null,
  options?: boolean | AddEventListenerOptions,
) {
  if (this instanceof RTCDataChannel && type === 'message' && typeof listener === 'function')
    return addEventListener.call(
      this,
      type,
      stamped(listener as (event: MessageEvent) => unknown) as EventListener,
      options,
    );
  return addEventListener.call(this, type, listener, options);
};

const onmessage = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onmessage');
if (onmessage?.set && onmessage.get) {
  const { get, set } = onmessage;
  Object.defineProperty(RTCDataChannel.prototype, 'onmessage', {
    configurable: true,
    get(this: RTCDataChannel) {
      return get.call(this);
    },
    set(this: RTCDataChannel, listener: ((event: MessageEvent) => unknown) | null) {
      set.call(this, listener === null ? null : stamped(listener));
    },
  });
}
