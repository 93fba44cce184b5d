/** Small DOM helpers. Everything is created through the host's document (browser or jsdom). */

export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;
export type Child = Node | string | null | undefined | false;

function apply(node: Element, attrs: Attrs | undefined, children: readonly Child[]): void {
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs?: Attrs,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  apply(node, attrs, children);
  return node;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs?: Attrs,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  apply(node, attrs, children);
  return node;
}

let idCounter = 0;

/** A document-unique id (for SVG markers and ARIA references); tests normalise the number. */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `tsfx-${prefix}-${idCounter}`;
}

/** A coordinate rounded to one decimal, as SVG attribute text. */
export const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** The class of a table cell showing a JSON scalar (see formatValue). */
export function valueClass(v: string | number | boolean | null): string {
  return v === null ? 'tsfx-null' : typeof v === 'number' ? 'tsfx-num' : 'tsfx-str';
}

/** A `<thead>` with one row of column headers. */
export function tableHead(doc: Document, titles: readonly string[]): HTMLTableSectionElement {
  return h(
    doc,
    'thead',
    undefined,
    h(doc, 'tr', undefined, ...titles.map((t) => h(doc, 'th', { scope: 'col' }, t))),
  );
}

/** The header every view starts with: its title and a one-line summary. */
export function viewHeader(
  doc: Document,
  title: string,
  subtitle: string,
  subtitleClass = 'tsfx-subtitle',
): HTMLDivElement {
  return h(
    doc,
    'div',
    { class: 'tsfx-header' },
    h(doc, 'span', { class: 'tsfx-title' }, title),
    h(doc, 'span', { class: subtitleClass }, subtitle),
  );
}
