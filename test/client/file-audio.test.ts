// An audio file played on its line (client/view/file-audio.ts, file-line.ts), on a stand-in
// DOM: only allowlisted audio types get a player, ours at once and a received one once
// verified; its length is read from the player on this page (by seeking past the end where
// the file gives none); bytes that are not audio say "cannot be played"; its object URL goes
// when it fails or its line goes for good. Node's object URLs say whether a URL still holds its file.
import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { test } from 'node:test';
import type { FileLine } from '../../client/files/line.ts';
import { createFileAudio, MEASURE_MAX_BYTES } from '../../client/view/file-audio.ts';
import { createFilesView } from '../../client/view/files.ts';
import { MAX_LINES } from '../../client/view/lines.ts';
import { FakeElement } from './fake-dom.ts';
import { linesViewEachTest } from './lines-view-each-test.ts';

// The files view takes the ways to send too (view/file-send.ts) and the accept limit's field.
const page = linesViewEachTest(['chat', 'file-input', 'file-accept-limit', 'message-input']);

/** Lines are put on the page once per task (lines-waiting.ts flush). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What a player is to these tests: a stand-in element with the media element's fields. */
type Player = FakeElement & { src: string; controls: boolean; preload: string; duration: number; currentTime: number };

/** A player made by createFileAudio for `type`, and what it put on the line. */
function player(type: string, file: Blob = new Blob(['clip bytes'])) {
  const put: FakeElement[] = [];
  const meta = new FakeElement('span');
  const audio = createFileAudio(
    { name: 'voice message.webm', type },
    (node) => void put.push(node as unknown as FakeElement),
    meta as unknown as HTMLElement,
  );
  audio.show(file);
  const element = put.find((node) => node.tagName === 'audio') as Player | undefined;
  /** What the meta ends with: the length, as the line shows it, or null. */
  const length = (): string | null =>
    meta.children.find((child) => child.dataset.testid === 'file-audio-length')?.textContent ?? null;
  return { audio, put, element, length };
}

test('only an allowlisted audio type gets a player: controls, metadata only, named by its file, of a blob URL of that type', async () => {
  for (const type of ['video/webm', 'image/svg+xml', 'text/html', 'application/octet-stream', '', 'audio/webm;x=1'])
    assert.deepEqual(player(type).put, [], type);
  const { element, put } = player(' Audio/WEBM ');
  assert.ok(element);
  assert.equal(put.length, 1);
  assert.equal(element.dataset.testid, 'file-audio');
  assert.equal(element.controls, true);
  assert.equal(element.preload, 'metadata');
  assert.equal(element.getAttribute('aria-label'), 'Play voice message.webm');
  assert.match(element.src, /^blob:/);
  const played = resolveObjectURL(element.src);
  assert.equal(played?.type, 'audio/webm', 'typed as audio for the player (a received file is stored as bytes)');
  assert.equal(await played?.text(), 'clip bytes');
});

test('its length is the one the player reads on this page, in the meta', () => {
  const { element, length } = player('audio/webm');
  assert.ok(element);
  assert.equal(length(), null, 'nothing until the browser knows it');
  element.duration = 7.4;
  element.dispatch('durationchange');
  element.dispatch('loadedmetadata');
  assert.equal(length(), '0:07');
  // In whole seconds, as the player under it counts them: a clip of 2.57 s read "0:03" beside
  // the player's "0:00 / 0:02".
  element.duration = 2.57;
  element.dispatch('durationchange');
  assert.equal(length(), '0:02');
  // A peer's file may declare any length: shown as declared.
  element.duration = 1e9;
  element.dispatch('durationchange');
  assert.equal(length(), '277777:46:40');
});

test('a file that gives no length (MediaRecorder’s WebM) is sought past its end once, its length read there, and it starts from 0', () => {
  const { element, length } = player('audio/webm');
  assert.ok(element);
  element.currentTime = 0;
  element.duration = Number.POSITIVE_INFINITY;
  element.dispatch('durationchange');
  element.dispatch('loadedmetadata');
  assert.ok(element.currentTime > 1e6, 'sent far past the end');
  assert.equal(length(), null);
  element.duration = 12.3;
  element.dispatch('durationchange');
  assert.equal(length(), '0:12');
  assert.equal(element.currentTime, 0, 'back to the start');

  // Too large to read to its end for a number: no length shown, nothing sought.
  // (One small piece many times over: Blobs hold their parts, nothing is copied.)
  const piece = new Blob([new Uint8Array(1 << 20)]);
  const big = new Blob([...Array.from({ length: MEASURE_MAX_BYTES / (1 << 20) }, () => piece), 'x']);
  const large = player('audio/webm', big);
  assert.ok(large.element);
  large.element.currentTime = 0;
  large.element.duration = Number.POSITIVE_INFINITY;
  large.element.dispatch('loadedmetadata');
  assert.equal(large.element.currentTime, 0);
  assert.equal(large.length(), null);
});

test('bytes that are not audio: "cannot be played" in the player’s place, its URL let go, nothing thrown', () => {
  const { element, put } = player('audio/webm');
  assert.ok(element);
  const url = element.src;
  const line = new FakeElement('li');
  line.append(element);
  element.dispatch('error');
  element.dispatch('error'); // said once
  assert.equal(element.parentNode, null, 'the player is gone');
  const said = put.filter((node) => node.dataset.testid === 'file-audio-error');
  assert.equal(said.length, 1);
  assert.equal(said[0]?.textContent, 'cannot be played');
  assert.equal(resolveObjectURL(url), undefined, 'revoked');
});

test('dropped, the player’s URL is revoked; shown again, nothing more is made', () => {
  const { audio, element, put } = player('audio/ogg');
  assert.ok(element);
  audio.show(new Blob(['again']));
  assert.equal(put.length, 1);
  audio.drop();
  assert.equal(resolveObjectURL(element.src), undefined);
  element.dispatch('error'); // a revoked URL's error: the line is gone, nothing to say
  assert.equal(put.length, 1);
});

/** A file line (view/file-line.ts) for a file of this type, ours or received. */
function showFile(id: string, type: string, own: boolean): FileLine {
  const files = createFilesView(page.lines(), { send: () => {} });
  const info = { id, from: 'alice', own, senderName: 'Alice', name: `${id}.webm`, size: 5, type };
  return files.showLine({ ...info, nameChanged: false, privateWith: null, privateWithId: null }, { cancel: () => {} });
}
const itemOf = (id: string): FakeElement => {
  const found = page
    .dom()
    .byId('messages')
    .children.find((child) => child.dataset.fileId === id);
  assert.ok(found, 'the file line is on the page');
  return found;
};
const testIds = (item: FakeElement): string[] => item.children.map((child) => child.dataset.testid ?? child.tagName);

test('ours plays at once, a received one once verified, with its download; another type gets none', async () => {
  const ours = showFile('o1', 'audio/webm', true);
  const received = showFile('r1', 'audio/webm', false);
  const other = showFile('x1', 'video/webm', false);
  await settle();
  ours.preview(new File(['clip'], 'o1.webm', { type: 'audio/webm' }));
  assert.ok(testIds(itemOf('o1')).includes('file-audio'), 'the sender’s, at once');
  assert.ok(!testIds(itemOf('r1')).includes('file-audio'), 'none before the file is verified');
  received.ready(new File(['clip'], 'r1.webm', { type: 'application/octet-stream' }), async () => {});
  const shown = testIds(itemOf('r1'));
  assert.ok(shown.includes('file-download') && shown.includes('file-audio'), shown.join());
  other.ready(new File(['clip'], 'x1.webm', { type: 'application/octet-stream' }), async () => {});
  assert.ok(!testIds(itemOf('x1')).includes('file-audio'), 'a video is a download only');
});

test('a received clip’s player URL is kept while its line is, and revoked when the line goes for good', async () => {
  const received = showFile('r2', 'audio/ogg', false);
  await settle();
  received.ready(new File(['clip'], 'r2.webm', { type: 'application/octet-stream' }), async () => {});
  const audio = itemOf('r2').children.find((child) => child.dataset.testid === 'file-audio') as Player | undefined;
  assert.ok(audio);
  assert.equal(await resolveObjectURL(audio.src)?.text(), 'clip');
  for (let i = 0; i < MAX_LINES; i++) page.lines().appendItem(new FakeElement('li') as unknown as HTMLLIElement, false);
  await settle();
  assert.equal(resolveObjectURL(audio.src), undefined, 'revoked with the line');
});

/** A file whose bytes can no longer be read, as one whose stored copy went from the device. */
class GoneFile extends File {
  override slice(): Blob {
    return new (class extends Blob {
      override async arrayBuffer(): Promise<ArrayBuffer> {
        throw new DOMException('A requested file or directory could not be found', 'NotFoundError');
      }
    })();
  }
}
const playerOf = (id: string): Player | undefined =>
  itemOf(id).children.find((child) => child.dataset.testid === 'file-audio') as Player | undefined;
const wordsOf = (id: string): string | undefined => {
  const status = itemOf(id).children.find((child) => child.dataset.testid === 'file-status');
  return status?.children.find((child) => child.className === 'file-status-words')?.textContent;
};

test('a received clip whose stored copy went: its player fails, and the line says the file is gone, with no download; not "cannot be played"', async () => {
  const gone = showFile('r3', 'audio/webm', false);
  const undecodable = showFile('r4', 'audio/webm', false);
  const ours = showFile('o3', 'audio/webm', true);
  await settle();
  gone.state('verified', 'received and checked');
  gone.ready(new GoneFile(['clip'], 'r3.webm'), async () => {});
  undecodable.ready(new File(['not audio'], 'r4.webm'), async () => {});
  ours.preview(new GoneFile(['clip'], 'o3.webm', { type: 'audio/webm' }));
  for (const id of ['r3', 'r4', 'o3']) playerOf(id)?.dispatch('error');
  await settle();
  assert.equal(itemOf('r3').dataset.stored, 'gone');
  assert.equal(wordsOf('r3'), 'received, but the file is no longer on this device');
  const left = testIds(itemOf('r3')).filter((id) => id.startsWith('file-audio') || id === 'file-download');
  assert.deepEqual(left, [], 'no player, no "cannot be played", no download');
  // Bytes that are there but not audio, and ours (the file as it was picked): as before.
  for (const id of ['r4', 'o3']) {
    assert.ok(testIds(itemOf(id)).includes('file-audio-error'), id);
    assert.equal(itemOf(id).dataset.stored, undefined, id);
  }
  assert.ok(testIds(itemOf('r4')).includes('file-download'), 'its download stays');
});
