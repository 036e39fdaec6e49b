// A received file's type is the sender's text: the line shows it only when it is a media
// type, so that it cannot pass for the line's own words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shownType } from '../../client/view/file-line.ts';

test('a media type is shown as it is; anything else as "unknown type"', () => {
  for (const type of ['application/pdf', 'image/svg+xml', 'application/vnd.ms-excel', 'text/x-c++src'])
    assert.equal(shownType(type), type);
  for (const type of [
    '',
    'application/pdf · only to you',
    'text/plain; charset=utf-8',
    'image/png\u202Egpj',
    'notatype',
    '/pdf',
    `application/${'x'.repeat(200)}`,
  ])
    assert.equal(shownType(type), 'unknown type', JSON.stringify(type));
});
