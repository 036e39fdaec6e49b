// Files picked together go in the order picked, whichever hash ends first: the sender's lines
// as each is offered (moved to the newest), the receivers' lines as the offers come, and the
// transfers each receiver starts. Between stand-in pages (files-pages.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileOf, lineOf, type Page, room, stateOf, turns, until } from './files-pages.ts';

/** A file whose bytes cannot be read until `release()`: its hash ends when the test says. */
function heldFile(name: string) {
  let release = () => {};
  const readable = new Promise<void>((resolve) => {
    release = resolve;
  });
  const bytes = new TextEncoder().encode(`the bytes of ${name}`);
  class HeldFile extends File {
    override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
      let sent = false;
      return new ReadableStream({
        async pull(controller) {
          await readable;
          if (sent) return controller.close();
          sent = true;
          controller.enqueue(bytes);
        },
      });
    }
  }
  return { file: new HeldFile([bytes], name, { type: 'text/plain' }), release };
}

const ids = (page: Page) => page.lines.map((line) => line.info.id);

test('files picked together are offered in the order picked, on every page, though a later one is hashed first', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  const two = heldFile('two.txt');
  const sending = alice.files.sendFiles([fileOf(100, 'one.txt'), two.file, fileOf(100, 'three.dat')]);
  // Every line shows at once, in the order picked, while the files are hashed.
  assert.deepEqual(
    alice.lines.map((line) => line.info.name),
    ['one.txt', 'two.txt', 'three.dat'],
  );
  const [one, second, three] = ids(alice) as [string, string, string];
  await until(() => stateOf(bob, one) === 'verified', 'one.txt arrives');
  // three.dat is hashed (two.txt still is not), and waits for two.txt to be offered first.
  await turns(20);
  assert.deepEqual(alice.offered, [one]);
  assert.equal(lineOf(bob, three), undefined, 'three.dat not offered before two.txt');
  two.release();
  assert.deepEqual(await sending, [one, second, three]);
  for (const page of [bob, carol]) await until(() => stateOf(page, three) === 'verified', `${page.id} has them`);
  assert.deepEqual(alice.offered, [one, second, three], 'the sender’s lines move to the newest in the order picked');
  for (const page of [bob, carol]) {
    assert.deepEqual(ids(page), [one, second, three], `${page.id}’s lines in the order picked`);
    assert.deepEqual(page.started, [one, second, three], `${page.id} takes them in the order picked`);
  }
});

test('a file picked before the others and cancelled while it is hashed holds none of them back', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const first = heldFile('first.txt');
  const sending = alice.files.sendFiles([first.file, fileOf(100, 'next.txt')]);
  const [cancelled, next] = ids(alice) as [string, string];
  lineOf(alice, cancelled)?.actions.cancel();
  first.release();
  assert.deepEqual(await sending, [cancelled, next]);
  await until(() => stateOf(bob, next) === 'verified', 'next.txt arrives');
  assert.equal(stateOf(alice, cancelled), 'cancelled');
  assert.deepEqual(alice.offered, [next]);
});
