// The duration a MediaRecorder WebM lacks, written into its header. The recorder writes the
// file as it records, so its Segment has an unknown size and its Info no Duration: players
// show no length (an <audio>'s duration is Infinity) and cannot seek. The clip's length is
// known once it stops, and goes in as the Info's Duration element (Matroska's EBML:
// https://www.matroska.org/technical/elements.html). Only the shape a live recorder writes is
// changed, the Segment of unknown size with nothing that points into it before its first
// Cluster: growing the Info moves every byte after it, and a SeekHead, or a Segment's known
// size, would then be wrong. Anything else is left as it came (the receiver measures a clip's
// length on its own page anyway: view/file-audio.ts). Only the header is read, whatever the
// clip's size: the bytes up to the Info's end are copied with the Duration in, and the rest of
// the new clip is the same Blob.

const EBML_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;
const SEEK_HEAD_ID = 0x114d9b74;
const INFO_ID = 0x1549a966;
const CLUSTER_ID = 0x1f43b675;
const TIMECODE_SCALE_ID = 0x2ad7b1;
const DURATION_ID = 0x4489;

/** Nanoseconds per tick when the Info names none (Matroska's default). */
const DEFAULT_TIMECODE_SCALE = 1_000_000;

/** Bytes read for the header: in Chromium's recordings the Info ends 78 bytes in, the Tracks 146. */
export const HEADER_BYTES = 64 * 1024;

interface ElementHeader {
  id: number;
  /** Where its data starts. */
  data: number;
  /** Its data's size; null: unknown (all ones), as a live recorder writes the Segment's. */
  size: number | null;
}

/**
 * An EBML variable-length integer at `at`: its length and value, or null. A size's value has
 * its length marker taken off; an element id keeps it (`keepMarker`), as ids are written.
 */
function readVint(bytes: Uint8Array, at: number, keepMarker: boolean): { length: number; value: number } | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // 1 for 1xxxxxxx, 8 for 00000001
  if (at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return { length, value };
}

function readHeader(bytes: Uint8Array, at: number): ElementHeader | null {
  const id = readVint(bytes, at, true);
  if (id === null || id.length > 4) return null;
  const size = readVint(bytes, at + id.length, false);
  if (size === null) return null;
  const unknown = size.value === 2 ** (7 * size.length) - 1;
  if (!unknown && size.value > Number.MAX_SAFE_INTEGER) return null;
  return { id: id.value, data: at + id.length + size.length, size: unknown ? null : size.value };
}

/** The shortest EBML size for `value` (all ones is "unknown", so one more byte then). */
function encodeSize(value: number): Uint8Array {
  let length = 1;
  while (value >= 2 ** (7 * length) - 1) length++;
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  bytes[0] = (bytes[0] ?? 0) | (0x80 >> (length - 1));
  return bytes;
}

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

interface Info {
  /** Where the Info element starts, where its data starts, and where it ends. */
  start: number;
  data: number;
  end: number;
  /** Whether the header can take a longer Info: nothing before the first Cluster points past it. */
  growable: boolean;
}

/** The Segment's Info, or null when the header is not a WebM or its Info is not within it. */
function findInfo(head: Uint8Array): Info | null {
  const ebml = readHeader(head, 0);
  if (ebml?.id !== EBML_ID || ebml.size === null) return null;
  const segment = readHeader(head, ebml.data + ebml.size);
  if (segment?.id !== SEGMENT_ID) return null;
  let found: Omit<Info, 'growable'> | null = null;
  // A known size, or a SeekHead: something says where what follows the Info is, so it may not move.
  let pinned = segment.size !== null;
  let cluster = false;
  for (let at = segment.data; at < head.length; ) {
    const child = readHeader(head, at);
    if (child === null) break;
    if (child.id === CLUSTER_ID) {
      cluster = true;
      break;
    }
    if (child.size === null) return null;
    if (child.id === SEEK_HEAD_ID) pinned = true;
    if (child.id === INFO_ID && found === null) found = { start: at, data: child.data, end: child.data + child.size };
    at = child.data + child.size;
  }
  if (found === null || found.end > head.length) return null;
  // Only a header read up to its first Cluster is known to hold nothing that points past the Info.
  return { ...found, growable: cluster && !pinned };
}

/** Each child of the Info: its id, where its data starts and its size; null if one does not fit. */
function infoChildren(head: Uint8Array, info: Info): ElementHeader[] | null {
  const children: ElementHeader[] = [];
  for (let at = info.data; at < info.end; ) {
    const child = readHeader(head, at);
    if (child === null || child.size === null || child.data + child.size > info.end) return null;
    children.push(child);
    at = child.data + child.size;
  }
  return children;
}

/** Nanoseconds per tick of the Info's times: its TimecodeScale, or Matroska's default. */
function ticksOf(head: Uint8Array, children: readonly ElementHeader[]): number {
  const scale = children.find((child) => child.id === TIMECODE_SCALE_ID);
  return scale && scale.size !== null ? readUint(head, scale.data, scale.size) : DEFAULT_TIMECODE_SCALE;
}

/**
 * The WebM header `head` (its first bytes) with `durationMs` as its Duration: the bytes that
 * stand for head[0, end), or null to leave the file as it is (not a WebM, a Duration not
 * possible to add safely, no sane duration).
 */
export function patchWebmDuration(
  head: Uint8Array,
  durationMs: number,
): { bytes: Uint8Array<ArrayBuffer>; end: number } | null {
  if (!Number.isFinite(durationMs) || durationMs <= 0) return null;
  const info = findInfo(head);
  const children = info && infoChildren(head, info);
  if (!info || !children) return null;
  const ticks = ticksOf(head, children);
  if (ticks <= 0) return null;
  const value = (durationMs * 1_000_000) / ticks;
  const duration = children.find((child) => child.id === DURATION_ID);
  if (duration) {
    // One there already (zero, or a guess): replaced in place, nothing moves.
    if (duration.size !== 4 && duration.size !== 8) return null;
    const bytes = head.slice(0, info.end);
    const view = new DataView(bytes.buffer, duration.data, duration.size);
    if (duration.size === 4) view.setFloat32(0, value);
    else view.setFloat64(0, value);
    return { bytes, end: info.end };
  }
  if (!info.growable) return null;
  // A float64 Duration: its id, a size of 8, the value.
  const element = new Uint8Array(11);
  element.set([0x44, 0x89, 0x88]);
  new DataView(element.buffer).setFloat64(3, value);
  const size = encodeSize(info.end - info.data + element.length);
  const id = head.subarray(info.start, info.start + 4);
  const parts = [head.subarray(0, info.start), id, size, head.subarray(info.data, info.end), element];
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, end: info.end };
}

/** The duration a WebM header declares, in milliseconds, or null for none (tests read it back). */
export function readWebmDuration(head: Uint8Array): number | null {
  const info = findInfo(head);
  const children = info && infoChildren(head, info);
  const duration = children?.find((child) => child.id === DURATION_ID);
  if (!children || !duration || (duration.size !== 4 && duration.size !== 8)) return null;
  const ticks = ticksOf(head, children);
  const view = new DataView(head.buffer, head.byteOffset + duration.data, duration.size);
  const value = duration.size === 4 ? view.getFloat32(0) : view.getFloat64(0);
  return (value * ticks) / 1_000_000;
}

/** `clip` with `durationMs` in its header, or `clip` itself when it cannot take one (patchWebmDuration). */
export async function withWebmDuration(clip: Blob, durationMs: number): Promise<Blob> {
  let head: Uint8Array;
  try {
    head = new Uint8Array(await clip.slice(0, HEADER_BYTES).arrayBuffer());
  } catch {
    return clip;
  }
  const patched = patchWebmDuration(head, durationMs);
  if (patched === null) return clip;
  return new Blob([patched.bytes, clip.slice(patched.end)], { type: clip.type });
}
