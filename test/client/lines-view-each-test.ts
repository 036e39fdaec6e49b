// A lines view (client/view/lines.ts) on a fresh stand-in page (fake-dom.ts) for each test of
// a file, telling a screen reader nothing: for tests of what the view puts where. `more`: the
// page's other elements the test's views take (by id or data-testid).
import { afterEach, beforeEach } from 'node:test';
import { createLinesView, type LinesView } from '../../client/view/lines.ts';
import { type FakeDom, installFakeDom } from './fake-dom.ts';

export function linesViewEachTest(more: readonly string[] = []): { dom(): FakeDom; lines(): LinesView } {
  let dom: FakeDom | undefined;
  let lines: LinesView | undefined;
  beforeEach(() => {
    dom = installFakeDom(['messages', 'earlier', 'newer', ...more]);
    lines = createLinesView({ announcer: { line() {}, file() {}, notice() {}, earlier() {}, say() {} } });
  });
  afterEach(() => dom?.restore());
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('only inside a test');
    return value;
  };
  return { dom: () => made(dom), lines: () => made(lines) };
}
