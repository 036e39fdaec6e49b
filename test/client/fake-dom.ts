// A stand-in DOM for the chat's lines (view/lines.ts, scrollback.ts, files.ts) in Node: elements
// that keep their children in order, fragments and ranges that move them as the DOM does, and
// the few globals the lines view reads (document, ResizeObserver, MutationObserver,
// requestAnimationFrame, cancelAnimationFrame). No layout: every size is 0, and nothing is
// ever observed to resize.

type Listener = (event: Record<string, unknown>) => void;

/** The dataset key of a data-* attribute ('data-test-id' → 'testId'); null for another attribute. */
function dataKey(name: string): string | null {
  if (!name.startsWith('data-')) return null;
  return name.slice(5).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export class FakeElement {
  parentNode: FakeElement | null = null;
  readonly children: FakeElement[] = [];
  readonly dataset: Record<string, string> = {};
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Listener[]>();
  /** Over `className`, as the DOM's is. */
  readonly classList = {
    add: (...names: string[]): void =>
      this.setClasses((classes) => {
        for (const name of names) classes.add(name);
      }),
    remove: (...names: string[]): void =>
      this.setClasses((classes) => {
        for (const name of names) classes.delete(name);
      }),
    contains: (name: string): boolean => this.className.split(' ').includes(name),
    toggle: (name: string, force?: boolean): boolean => {
      const on = force ?? !this.classList.contains(name);
      this.setClasses((classes) => {
        if (on) classes.add(name);
        else classes.delete(name);
      });
      return on;
    },
  };
  id = '';
  className = '';
  textContent = '';
  hidden = false;
  scrollTop = 0;
  scrollHeight = 0;
  clientHeight = 0;
  constructor(readonly tagName: string) {}

  get firstElementChild(): FakeElement | null {
    return this.children[0] ?? null;
  }
  get lastElementChild(): FakeElement | null {
    return this.children.at(-1) ?? null;
  }
  get previousElementSibling(): FakeElement | null {
    const siblings = this.parentNode?.children ?? [];
    return siblings[siblings.indexOf(this) - 1] ?? null;
  }
  /** The node before this one, a text node too (unmarking "(earlier)" takes the space before it). */
  get previousSibling(): FakeElement | null {
    return this.previousElementSibling;
  }
  /** 3 for a text node (Node.TEXT_NODE), 1 for an element. */
  get nodeType(): number {
    return this.tagName === '#text' ? 3 : 1;
  }
  get childElementCount(): number {
    return this.children.length;
  }
  /** Appends nodes; a fragment gives its children, as in the DOM. */
  append(...nodes: Array<FakeElement | string>): void {
    this.insert(this.children.length, nodes);
  }
  prepend(...nodes: FakeElement[]): void {
    this.insert(0, nodes);
  }
  /** Puts nodes before this one in its parent (the call's More button: view/call-more.ts). */
  before(...nodes: FakeElement[]): void {
    this.parentNode?.insert(this.parentNode.children.indexOf(this), nodes);
  }
  /** Puts nodes after this one in its parent (a line's "(earlier)" tag after its sender: line-marks.ts). */
  after(...nodes: Array<FakeElement | string>): void {
    this.parentNode?.insert(this.parentNode.children.indexOf(this) + 1, nodes);
  }
  /** Puts `node` before `reference` (at the end when it is null), as a reaction bar's chips before ☺. */
  insertBefore(node: FakeElement, reference: FakeElement | null): void {
    const at = reference ? this.children.indexOf(reference) : -1;
    this.insert(at < 0 ? this.children.length : at, [node]);
  }
  replaceChildren(...nodes: Array<FakeElement | string>): void {
    for (const child of [...this.children]) child.remove();
    this.append(...nodes);
  }
  /** Puts `node` in this one's place (a receipt's note made a button: view/receipts.ts). */
  replaceWith(node: FakeElement): void {
    this.before(node);
    this.remove();
  }
  remove(): void {
    const parent = this.parentNode;
    if (!parent) return;
    parent.children.splice(parent.children.indexOf(this), 1);
    this.parentNode = null;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** Plays an event on this element (no bubbling). */
  dispatch(type: string, event: Record<string, unknown> = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  // data-* attributes are the dataset, as in a browser: code reads either.
  setAttribute(name: string, value: string): void {
    const key = dataKey(name);
    if (key === null) this.attributes.set(name, value);
    else this.dataset[key] = value;
  }
  removeAttribute(name: string): void {
    const key = dataKey(name);
    if (key === null) this.attributes.delete(name);
    else delete this.dataset[key];
  }
  getAttribute(name: string): string | null {
    const key = dataKey(name);
    return (key === null ? this.attributes.get(name) : this.dataset[key]) ?? null;
  }
  /** The first descendant matching `.class` or `[data-testid=name]`: the selectors the lines view reads. */
  querySelector(selector: string): FakeElement | null {
    const className = /^\.([\w-]+)$/.exec(selector)?.[1];
    const testId = /^\[data-testid=([\w-]+)\]$/.exec(selector)?.[1];
    if (className === undefined && testId === undefined) throw new Error(`the fake page cannot find ${selector}`);
    for (const child of this.children) {
      if (
        className !== undefined ? child.className.split(' ').includes(className) : child.dataset['testid'] === testId
      ) {
        return child;
      }
      const found = child.querySelector(selector);
      if (found) return found;
    }
    return null;
  }
  /** This node or one inside it (the voice bar asks where the keyboard is: view/voice-record.ts). */
  contains(node: unknown): boolean {
    for (let at = node instanceof FakeElement ? node : null; at; at = at.parentNode) if (at === this) return true;
    return false;
  }
  getBoundingClientRect(): { top: number; bottom: number; height: number } {
    return { top: 0, bottom: 0, height: 0 };
  }
  focus(): void {}
  scrollIntoView(): void {}
  /** Only what the keyboard's current line asks of a line: it holds no controls here. */
  matches(): boolean {
    return false;
  }
  querySelectorAll(): FakeElement[] {
    return [];
  }

  private setClasses(change: (classes: Set<string>) => void): void {
    const classes = new Set(this.className.split(' ').filter(Boolean));
    change(classes);
    this.className = [...classes].join(' ');
  }

  /** No layout: nothing is drawn, as an element of `display: none`. */
  getClientRects(): unknown[] {
    return [];
  }

  private insert(at: number, nodes: Array<FakeElement | string>): void {
    const moved = nodes.flatMap((node) =>
      typeof node === 'string' ? [textNode(node)] : node.tagName === '#fragment' ? node.children.splice(0) : [node],
    );
    for (const node of moved) node.remove();
    this.children.splice(at, 0, ...moved);
    for (const node of moved) node.parentNode = this;
  }
}

/** An element made as a button: one, as the DOM's (a receipt's note made a button: view/receipts.ts). */
class FakeButton extends FakeElement {}

/** A string appended: a node of its own, as the DOM's text node. */
function textNode(text: string): FakeElement {
  const node = new FakeElement('#text');
  node.textContent = text;
  return node;
}

/** A range over siblings: from before one child to after another, of the same parent. */
class FakeRange {
  private start: FakeElement | null = null;
  private end: FakeElement | null = null;
  setStartBefore(node: FakeElement): void {
    this.start = node;
  }
  setEndAfter(node: FakeElement): void {
    this.end = node;
  }
  extractContents(): FakeElement {
    const parent = this.start?.parentNode;
    if (!parent || !this.end || this.end.parentNode !== parent) throw new Error('range over different parents');
    const from = parent.children.indexOf(this.start as FakeElement);
    const fragment = new FakeElement('#fragment');
    fragment.append(...parent.children.slice(from, parent.children.indexOf(this.end) + 1));
    return fragment;
  }
}

export interface FakeDom {
  /** Elements the page's HTML has, by id or data-testid. */
  byId(id: string): FakeElement;
  /** Takes the stand-ins off globalThis again. */
  restore(): void;
}

/** Puts a document with these elements (by id, and by data-testid) on globalThis. */
export function installFakeDom(ids: readonly string[]): FakeDom {
  const elements = new Map(ids.map((id) => [id, new FakeElement('div')]));
  const byId = (id: string): FakeElement => {
    const found = elements.get(id);
    if (!found) throw new Error(`no element ${id} in the fake page`);
    return found;
  };
  const names = [
    'document',
    'ResizeObserver',
    'MutationObserver',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'HTMLElement',
    'HTMLButtonElement',
    'Element',
  ] as const;
  Object.assign(globalThis, {
    document: {
      hidden: false,
      activeElement: null,
      getElementById: (id: string) => elements.get(id) ?? null,
      querySelector: (selector: string) => elements.get(/^\[data-testid="(.+)"\]$/.exec(selector)?.[1] ?? '') ?? null,
      createElement: (tag: string) => (tag === 'button' ? new FakeButton(tag) : new FakeElement(tag)),
      // The composer's bars draw their ✕ as an SVG icon (view/dom.ts icon).
      createElementNS: (_namespace: string, tag: string) => new FakeElement(tag),
      createDocumentFragment: () => new FakeElement('#fragment'),
      createRange: () => new FakeRange(),
      addEventListener: () => {},
    },
    ResizeObserver: class {
      observe(): void {}
      unobserve(): void {}
    },
    // The keyboard's current line (list-focus.ts) and a search's lines coming and going
    // (search.ts) are followed in a real browser (e2e/keyboard.spec.ts, ui.spec.ts).
    MutationObserver: class {
      observe(): void {}
      disconnect(): void {}
    },
    requestAnimationFrame: (run: () => void) => setTimeout(run, 0),
    // What waits for a frame once a frame at most (frame.ts: the search) cancels its frame.
    cancelAnimationFrame: (frame: ReturnType<typeof setTimeout>) => clearTimeout(frame),
    // Every element here is one (`instanceof HTMLElement`, `instanceof Element` in the views).
    HTMLElement: FakeElement,
    HTMLButtonElement: FakeButton,
    Element: FakeElement,
  });
  return {
    byId,
    restore() {
      for (const name of names) Reflect.deleteProperty(globalThis, name);
    },
  };
}
