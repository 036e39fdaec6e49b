// Small DOM helpers shared by the view parts. Everything a peer or the server sent goes on
// the page through textContent or attributes, never as HTML.
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
  if (props.text !== undefined) element.textContent = props.text;
  if (props.testId) element.dataset.testid = props.testId;
  return element;
}
