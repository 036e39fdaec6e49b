// A received image is previewed only when its header declares a sane number of pixels, and
// is decoded at the preview's size: a 0.5 MB PNG may declare 23,000 × 23,000 pixels (2 GB
// once decoded). The header reader is checked against real images made by Chromium and
// against hand-made headers, hostile ones included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readImageSize } from '../../client/files/image-size.ts';
import {
  HEADER_BYTES,
  PREVIEW_MAX_BYTES,
  PREVIEW_MAX_HEIGHT,
  PREVIEW_MAX_PIXELS,
  PREVIEW_MAX_WIDTH,
  previewDecoding,
  previewResize,
} from '../../client/files/preview.ts';

const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const u16le = (n: number) => [n & 0xff, n >>> 8];
const u16be = (n: number) => [n >>> 8, n & 0xff];
const u32le = (n: number) => [...u16le(n & 0xffff), ...u16le(n >>> 16)];
const u32be = (n: number) => [...u16be(n >>> 16), ...u16be(n & 0xffff)];
const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

// 7 × 5 images, as Chromium's OffscreenCanvas.convertToBlob made them.
const REAL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAYAAACJmvbYAAAANElEQVR4AXSKwQkAMAjEgis5lDO5U3dqP97hp0I4SIyTeX8Ec9UgRuEosdexC4QeHCX2PgAAAP//jr3ikAAAAAZJREFUAwCNQBViTcJuKAAAAABJRU5ErkJggg==';
const REAL_JPEG =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAFAAcDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAaEAACAwEBAAAAAAAAAAAAAAAAAgERIRJB/8QAFQEBAQAAAAAAAAAAAAAAAAAABAb/xAAXEQADAQAAAAAAAAAAAAAAAAAAAQIx/9oADAMBAAIRAxEAPwCKXtIXlc9rQACKKZU4f//Z';
/** WebP as Chromium writes it: a VP8X header (with an ICC profile), then the frame. */
const REAL_WEBP =
  'UklGRioCAABXRUJQVlA4WAoAAAAgAAAABgAABAAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggPAAAALABAJ0BKgcABQACwEwlqAJ0ugAEZoAA/uj5Mqeif94weQw/iojBPeIXextv/xxc3TT7P8hZ+w32G8NAAA==';
/** The frames of Chromium's lossy and lossless WebP of the same image, without the VP8X header. */
const REAL_VP8 = 'sAEAnQEqBwAFAALATCWoAnS6AARmgAD+6Pkyp6J/3jB5DD+KiME94hd7G2//HFzdNPs/yFn7DfYbw0AA';
const REAL_VP8L = 'LwYAAQAP8DPmz2TOzPxHCz72F9H/yA==';

const riff = (chunk: string, data: Uint8Array) =>
  bytes(ascii('RIFF'), u32le(12 + data.length), ascii('WEBP'), ascii(chunk), u32le(data.length), data);

/** A PNG's signature and IHDR: all the reader needs (the pixels do not matter to it). */
const pngHeader = (width: number, height: number) =>
  bytes(
    [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a],
    u32be(13),
    ascii('IHDR'),
    u32be(width),
    u32be(height),
    [8, 0, 0, 0, 0],
  );

const jpegSegment = (marker: number, payload: number[] | Uint8Array) =>
  bytes([0xff, marker], u16be(payload.length + 2), payload);
const sof = (marker: number, width: number, height: number) =>
  jpegSegment(marker, [8, ...u16be(height), ...u16be(width), 1, 1, 0x11, 0]);

const box = (type: string, ...content: (number[] | Uint8Array)[]) => {
  const inner = bytes(...content);
  return bytes(u32be(8 + inner.length), ascii(type), inner);
};
const ispe = (width: number, height: number) => box('ispe', [0, 0, 0, 0], u32be(width), u32be(height));

test('real images from a browser: PNG, JPEG and WebP (VP8X, VP8, VP8L) are read at their size', () => {
  const sevenByFive = { width: 7, height: 5 };
  assert.deepEqual(readImageSize(b64(REAL_PNG)), sevenByFive);
  assert.deepEqual(readImageSize(b64(REAL_JPEG)), sevenByFive);
  assert.deepEqual(readImageSize(b64(REAL_WEBP)), sevenByFive);
  assert.deepEqual(readImageSize(riff('VP8 ', b64(REAL_VP8))), sevenByFive);
  assert.deepEqual(readImageSize(riff('VP8L', b64(REAL_VP8L))), sevenByFive);
});

test('a PNG declaring 23,000 × 23,000 pixels is read as such, and gets no preview', async () => {
  assert.deepEqual(readImageSize(pngHeader(23_000, 23_000)), { width: 23_000, height: 23_000 });
  const bomb = new Blob([pngHeader(23_000, 23_000), new Uint8Array(500_000)], { type: 'image/png' });
  assert.equal(await previewDecoding(bomb), null);
  // Just over the cap: none; a 48 MP photo: previewed, decoded small.
  const over = Math.ceil(Math.sqrt(PREVIEW_MAX_PIXELS)) + 1;
  assert.equal(await previewDecoding(new Blob([pngHeader(over, over)], { type: 'image/png' })), null);
  const photo = await previewDecoding(new Blob([pngHeader(8_000, 6_000)], { type: 'image/png' }));
  assert.deepEqual(photo, { resizeHeight: 180, resizeQuality: 'medium' });
});

test('JPEG: the frame header is found past large metadata segments, in every SOF flavour', () => {
  const exif = jpegSegment(0xe1, new Uint8Array(65_000));
  const icc = jpegSegment(0xe2, new Uint8Array(60_000));
  for (const marker of [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc7, 0xc9, 0xcb, 0xcd, 0xcf]) {
    const jpeg = bytes([0xff, 0xd8], exif, icc, [0xff, 0xff], sof(marker, 30_000, 20_000), [0xff, 0xd9]);
    assert.deepEqual(readImageSize(jpeg), { width: 30_000, height: 20_000 }, marker.toString(16));
  }
  // A Huffman table (C4) is not a frame; a height left to a DNL marker is not known here.
  const dht = jpegSegment(0xc4, [0, ...new Array(16).fill(0)]);
  assert.deepEqual(readImageSize(bytes([0xff, 0xd8], dht, sof(0xc0, 4, 3))), { width: 4, height: 3 });
  assert.equal(readImageSize(bytes([0xff, 0xd8], sof(0xc0, 4, 0))), null);
  // Scan data, or the end, before any frame: none.
  assert.equal(readImageSize(bytes([0xff, 0xd8], jpegSegment(0xda, [0]), sof(0xc0, 4, 3))), null);
});

test('GIF: the logical screen, or the first frame where it is larger', () => {
  const header = (width: number, height: number, flags = 0) =>
    bytes(ascii('GIF89a'), u16le(width), u16le(height), [flags, 0, 0]);
  const frame = (left: number, top: number, width: number, height: number) =>
    bytes([0x2c], u16le(left), u16le(top), u16le(width), u16le(height), [0]);
  const comment = bytes([0x21, 0xfe, 5], ascii('hello'), [0]);
  const palette = new Uint8Array(3 * 4); // flags 0x81: a global colour table of 4 entries
  assert.deepEqual(readImageSize(bytes(header(10, 8, 0x81), palette, comment, frame(0, 0, 10, 8))), {
    width: 10,
    height: 8,
  });
  assert.deepEqual(readImageSize(bytes(header(10, 8), frame(100, 50, 30_000, 30_000))), {
    width: 30_100,
    height: 30_050,
  });
  assert.equal(readImageSize(header(10, 8)), null, 'no frame within what was read');
});

test('BMP: core and info headers, a top-down image by its negative height', () => {
  const core = bytes(ascii('BM'), new Uint8Array(12), u32le(12), u16le(640), u16le(480), u16le(1), u16le(24));
  assert.deepEqual(readImageSize(core), { width: 640, height: 480 });
  const info = bytes(
    ascii('BM'),
    new Uint8Array(12),
    u32le(40),
    u32le(30_000),
    u32le(-30_000 >>> 0),
    new Uint8Array(28),
  );
  assert.deepEqual(readImageSize(info), { width: 30_000, height: 30_000 });
});

test('AVIF: the largest image spatial extent, a grid’s own over its tiles', () => {
  const avif = (...properties: Uint8Array[]) =>
    bytes(
      box('ftyp', ascii('avif'), [0, 0, 0, 0], ascii('mif1')),
      box('meta', [0, 0, 0, 0], box('hdlr', new Uint8Array(24)), box('iprp', box('ipco', ...properties))),
    );
  assert.deepEqual(readImageSize(avif(ispe(512, 512), box('pixi', [0, 0, 0, 0, 1, 8]), ispe(20_000, 15_000))), {
    width: 20_000,
    height: 15_000,
  });
  assert.equal(readImageSize(avif()), null, 'no extent: no size');
});

test('AVIF: an image sequence gets no size, whatever still image it carries beside its frames', () => {
  const still = box('meta', [0, 0, 0, 0], box('hdlr', new Uint8Array(24)), box('iprp', box('ipco', ispe(64, 64))));
  // The browser decodes a sequence's frames, sized in its track (here 16,384 × 16,384: 1 GiB
  // as RGBA), not the small still image whose extent the file declares in front of them.
  const track = box('moov', box('trak', box('tkhd', new Uint8Array(76), u32be(16_384 << 16), u32be(16_384 << 16))));
  for (const brand of ['avis', 'mif1', 'msf1']) {
    const file = bytes(box('ftyp', ascii(brand), [0, 0, 0, 0], ascii('avif'), ascii('avis')), still, track);
    assert.equal(readImageSize(file), null, `major brand ${brand}`);
  }
  // A still image (major brand avif) is read as before.
  assert.deepEqual(readImageSize(bytes(box('ftyp', ascii('avif'), [0, 0, 0, 0], ascii('mif1')), still)), {
    width: 64,
    height: 64,
  });
});

test('hostile or cut headers never throw; anything unreadable is null', () => {
  const samples = [
    b64(REAL_PNG),
    b64(REAL_JPEG),
    b64(REAL_WEBP),
    riff('VP8L', b64(REAL_VP8L)),
    bytes(ascii('GIF89a'), u16le(10), u16le(8), [0xff, 0, 0], new Uint8Array(100).fill(0x21)),
    bytes(box('ftyp', ascii('avif')), [0, 0, 0, 1, ...ascii('meta'), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    bytes([0xff, 0xd8], new Uint8Array(50_000).fill(0xff)),
  ];
  for (const sample of samples)
    for (let length = 0; length <= sample.length; length += Math.max(1, Math.floor(sample.length / 97)))
      assert.doesNotThrow(() => readImageSize(sample.subarray(0, length)));
  for (let i = 0; i < 2_000; i++) {
    const noise = Uint8Array.from({ length: 64 }, () => Math.floor(Math.random() * 256));
    noise.set(samples[i % samples.length]?.subarray(0, 4) ?? []);
    assert.doesNotThrow(() => readImageSize(noise));
  }
  assert.equal(readImageSize(new Uint8Array()), null);
  assert.equal(readImageSize(pngHeader(0, 10)), null);
  assert.equal(readImageSize(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
});

test('only raster types within the byte and pixel caps are previewed, by their content', async () => {
  const png = b64(REAL_PNG);
  assert.deepEqual(await previewDecoding(new Blob([png], { type: 'image/png' })), {});
  assert.equal(await previewDecoding(new Blob([png], { type: 'image/svg+xml' })), null);
  assert.equal(await previewDecoding(new Blob([png], { type: 'application/octet-stream' })), null);
  assert.equal(await previewDecoding(new Blob(['not an image'], { type: 'image/png' })), null);
  const large = new Blob([png, new Uint8Array(PREVIEW_MAX_BYTES)], { type: 'image/png' });
  assert.equal(await previewDecoding(large), null);
  // A JPEG whose frame header comes after HEADER_BYTES of metadata: none (rather than read on).
  const late = Array.from({ length: Math.ceil(HEADER_BYTES / 65_000) }, () =>
    jpegSegment(0xe1, new Uint8Array(65_000)),
  );
  assert.equal(
    await previewDecoding(new Blob([bytes([0xff, 0xd8], ...late, sof(0xc0, 4, 3))], { type: 'image/jpeg' })),
    null,
  );
});

test('an image is decoded at the preview’s size, turned by its EXIF orientation or not', () => {
  assert.deepEqual(previewResize(200, 100), {});
  for (const [width, height] of [
    [8_000, 6_000],
    [6_000, 8_000],
    [30_000, 10],
    [10, 30_000],
    [241, 1],
    [1, 181],
  ] as const) {
    const options = previewResize(width, height);
    // The browser turns the image first, then fills in the side not given from its aspect.
    for (const [w, h] of [
      [width, height],
      [height, width],
    ] as const) {
      const outWidth = options.resizeWidth ?? Math.ceil((w * (options.resizeHeight ?? h)) / h);
      const outHeight = options.resizeHeight ?? Math.ceil((h * (options.resizeWidth ?? w)) / w);
      assert.ok(
        outWidth <= PREVIEW_MAX_WIDTH + 1 && outHeight <= PREVIEW_MAX_WIDTH + 1,
        `${width}×${height} shown ${w}×${h}: decoded ${outWidth}×${outHeight}`,
      );
      assert.ok(outWidth >= 1 && outHeight >= 1);
    }
    // Not turned, it is decoded at exactly the preview's size (within rounding).
    const scale = Math.min(PREVIEW_MAX_WIDTH / width, PREVIEW_MAX_HEIGHT / height);
    const side = (length: number) => Math.max(1, Math.round(length * scale));
    if (options.resizeWidth !== undefined) assert.equal(options.resizeWidth, side(width));
    if (options.resizeHeight !== undefined) assert.equal(options.resizeHeight, side(height));
  }
});
