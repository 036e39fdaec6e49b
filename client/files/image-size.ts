// The pixel size an image declares in its header, read from its first bytes without decoding
// it, for each raster type the page previews (protocol/channel/files.ts PREVIEWABLE_TYPES).
// A few hundred kilobytes of PNG can declare 23,000 × 23,000 pixels, two gigabytes once
// decoded: the preview asks here first (preview.ts). The size returned is the one the browser's
// decoder allocates for the first frame, or more; null when the header cannot be read, and
// the image then gets no preview. The bytes are the sender's: every read is bounds-checked.

export interface ImageSize {
  width: number;
  height: number;
}

/** How far into a JPEG (or AVIF box list) we walk before giving up: segments, not bytes. */
const MAX_STEPS = 1_000;

/** The declared size of a PNG, JPEG, GIF, WebP, BMP or AVIF image, by its content (not its type). */
export function readImageSize(bytes: Uint8Array): ImageSize | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = READERS.find(([magic]) => startsWith(bytes, magic));
  if (!reader) return null;
  const size = reader[1](bytes, view);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

type Reader = (bytes: Uint8Array, view: DataView) => ImageSize | null;

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

/** PNG: the IHDR chunk comes first (APNG frames must fit inside it). */
const png: Reader = (bytes, view) => {
  if (bytes.length < 24 || !startsWith(bytes, ascii('IHDR'), 12)) return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

/** JPEG: markers from SOI to the first start-of-frame, skipping segments by their length. */
const jpeg: Reader = (bytes, view) => {
  let at = 2;
  for (let step = 0; step < MAX_STEPS && at + 4 <= bytes.length; step++) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    if (length < 2) return null;
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > bytes.length) return null;
      // A height of 0 is set later by a DNL marker: unknown here.
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame
    at += 2 + length;
  }
  return null;
};

/**
 * GIF: the logical screen, grown by the first frame where that frame is larger (Chromium's
 * decoder does the same for broken files), so blocks are walked up to the first image.
 */
const gif: Reader = (bytes, view) => {
  if (bytes.length < 13) return null;
  let width = view.getUint16(6, true);
  let height = view.getUint16(8, true);
  const flags = bytes[10] as number;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  for (let step = 0; step < MAX_STEPS && at < bytes.length; step++) {
    const block = bytes[at];
    if (block === 0x2c) {
      if (at + 10 > bytes.length) return null;
      width = Math.max(width, view.getUint16(at + 1, true) + view.getUint16(at + 5, true));
      height = Math.max(height, view.getUint16(at + 3, true) + view.getUint16(at + 7, true));
      return { width, height };
    }
    if (block !== 0x21) return null; // the trailer, or not a GIF block
    at += 2; // introducer and label, then data sub-blocks up to an empty one
    while (at < bytes.length && bytes[at] !== 0) at += 1 + (bytes[at] as number);
    at += 1;
  }
  return null;
};

/** WebP: the first chunk after the RIFF header says the canvas (VP8X) or the frame (VP8, VP8L). */
const webp: Reader = (bytes, view) => {
  if (bytes.length < 30 || !startsWith(bytes, ascii('WEBP'), 8)) return null;
  const data = 20;
  if (startsWith(bytes, ascii('VP8X'), 12)) {
    const uint24 = (at: number) => view.getUint16(at, true) + (bytes[at + 2] as number) * 0x10000;
    return { width: uint24(data + 4) + 1, height: uint24(data + 7) + 1 };
  }
  if (startsWith(bytes, ascii('VP8L'), 12)) {
    if (bytes[data] !== 0x2f) return null;
    const bits = view.getUint32(data + 1, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (startsWith(bytes, ascii('VP8 '), 12)) {
    if (!startsWith(bytes, [0x9d, 0x01, 0x2a], data + 3)) return null;
    return { width: view.getUint16(data + 6, true) & 0x3fff, height: view.getUint16(data + 8, true) & 0x3fff };
  }
  return null;
};

/** BMP: the DIB header's width and height (a negative height is a top-down image). */
const bmp: Reader = (bytes, view) => {
  if (bytes.length < 26) return null;
  if (view.getUint32(14, true) === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
};

/**
 * AVIF (ISO BMFF): every image spatial extent ('ispe', meta → iprp → ipco), the largest: a
 * grid image's own extent is larger than its tiles'. An image sequence gets none (READERS).
 */
const avif: Reader = (bytes, view) => {
  const meta = findBox(bytes, view, 0, bytes.length, 'meta');
  if (!meta) return null;
  const iprp = findBox(bytes, view, meta.start + 4, meta.end, 'iprp'); // meta is a full box
  const ipco = iprp && findBox(bytes, view, iprp.start, iprp.end, 'ipco');
  if (!ipco) return null;
  let largest: ImageSize | null = null;
  for (const box of boxes(bytes, view, ipco.start, ipco.end)) {
    if (box.type !== 'ispe' || box.start + 12 > box.end) continue;
    const size = { width: view.getUint32(box.start + 4), height: view.getUint32(box.start + 8) };
    if (!largest || size.width * size.height > largest.width * largest.height) largest = size;
  }
  return largest;
};

interface Box {
  type: string;
  /** Where its contents start and end (within what was read). */
  start: number;
  end: number;
}

function* boxes(bytes: Uint8Array, view: DataView, from: number, to: number): Generator<Box> {
  let at = from;
  for (let step = 0; step < MAX_STEPS && at + 8 <= to; step++) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = to - at; // to the end
    if (size < header) return;
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    yield { type, start: at + header, end: Math.min(to, at + size) };
    at += size;
  }
}

function findBox(bytes: Uint8Array, view: DataView, from: number, to: number, type: string): Box | null {
  for (const box of boxes(bytes, view, from, to)) if (box.type === type) return box;
  return null;
}

const READERS: readonly (readonly [readonly number[], Reader])[] = [
  [[0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a], png],
  [[0xff, 0xd8], jpeg],
  [ascii('GIF8'), gif],
  [ascii('RIFF'), webp],
  [ascii('BM'), bmp],
  // An ISO BMFF file starts with its 'ftyp' box: 4 bytes of size, then the type, then the
  // major brand. Only 'avif': a decoder told nothing else (libavif's AUTO source, Chromium's)
  // takes the frames of an image sequence ('avis', or any other brand with a track) over the
  // still image, and a sequence's frames declare their size in the track (which may lie past
  // what is read here), not in the 'ispe' a hostile file can make small beside them.
  [
    [],
    (bytes, view) =>
      startsWith(bytes, ascii('ftyp'), 4) && startsWith(bytes, ascii('avif'), 8) ? avif(bytes, view) : null,
  ],
];
