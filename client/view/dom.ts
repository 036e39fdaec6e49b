// Small DOM helpers shared by the view parts. Everything a peer or the server sent goes on
// the page through textContent or attributes, never as HTML; the text through el() and
// setText() with each letter's marks cut to a few (protocol/marks.ts), so no name, file name
// or quote set by them paints a stack of marks over its neighbours (an exploratory pass).
import { capMarks } from '../../protocol/marks.ts';

export function byTestId<T extends HTMLElement>(testId: string): T {
  const element = document.querySelector<T>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`page is missing [data-testid=${testId}]`);
  return element;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; testId?: string } = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = capMarks(props.text);
  if (props.testId) element.dataset.testid = props.testId;
  return element;
}

/** The namespace SVG elements are made in (createElementNS). */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A small line icon drawn from SVG path data, in the text's colour, for a button that says
 * what it does in its label. Not a symbol character: for a glyph that no installed font has,
 * the browser asks its browser process for font after font, synchronously, when it lays the
 * text out — in a trace of the calls bench's joiner, 294 ms of such requests in the first
 * layout after the click — and then draws a box instead of the symbol.
 */
export function icon(paths: readonly string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.6');
  svg.setAttribute('stroke-linecap', 'round');
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

// Writes for views redrawn whenever anything changes (the call bar is drawn on every change
// to the room's members): each writes only a value that differs. A write of the same text
// still replaces the text node, and the same attribute still counts as changed, so the
// browser lays out and paints the element again — in a room of five forming, the call bar
// was rewritten 13 times with nothing to show (a MutationObserver on the page).

export function setText(node: Node, text: string): void {
  const shown = capMarks(text);
  if (node.textContent !== shown) node.textContent = shown;
}

export function setHidden(element: HTMLElement, hidden: boolean): void {
  if (element.hidden !== hidden) element.hidden = hidden;
}

export function setDisabled(element: HTMLButtonElement | HTMLSelectElement, disabled: boolean): void {
  if (element.disabled !== disabled) element.disabled = disabled;
}

export function setAttr(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

export function setData(element: HTMLElement, key: string, value: string): void {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

/**
 * Makes `parent`'s children exactly `wanted`, in that order, taking out and putting in as
 * few as it simply can: the children no longer wanted go, and each wanted one that is not
 * where it belongs is put there; the rest stay attached. Re-inserting every child
 * (replaceChildren) made the browser style and lay out each of them again: a member list of
 * eight redrawn for one changed entry did eight entries' work.
 */
export function placeChildren(parent: Element, wanted: readonly Element[]): void {
  const keep = new Set<Element>(wanted);
  for (const child of [...parent.children]) if (!keep.has(child)) child.remove();
  for (const [i, element] of wanted.entries()) {
    const current = parent.children[i];
    if (current !== element) parent.insertBefore(element, current ?? null);
  }
}
