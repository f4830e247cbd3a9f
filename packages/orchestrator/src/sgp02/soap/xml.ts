/**
 * The XML value model of the SGP.02 stack. Emitted messages are ordered lists of elements (the
 * schemas are sequences, and a strict peer may check the order); parsed messages are plain trees
 * read by local name, case-insensitively, because the public schemas and wire logs disagree on
 * prefixes and casing (`SmSr-id` / `Smsr-id`, `completionTimestamp`).
 */

/** An element to emit: its local name in the GSMA namespace, and text or child elements. */
export type XmlField = readonly [name: string, value: string | readonly XmlField[]];

/** A parsed element: text, or children by local name (repeated children as arrays). */
export type XmlNode = string | { readonly [name: string]: XmlNode | readonly XmlNode[] };

/** Children named `name` (any casing), as a list whether the element occurs once or more. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string') return [];
  const wanted = name.toLowerCase();
  const out: XmlNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) out.push(...(value as XmlNode[]));
    else out.push(value as XmlNode);
  }
  return out;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** The text of an element: a string, or the `#text` of one that also has attributes. */
export function textOf(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const t = (node as Record<string, unknown>)['#text'];
  return typeof t === 'string' ? t : undefined;
}

export function text(node: XmlNode | undefined, name: string): string | undefined {
  const t = textOf(child(node, name));
  return t === undefined || t === '' ? undefined : t;
}

/** Drops absent optional elements so that callers can write `['Iccid', maybe]` inline. */
export function fields(...list: (readonly [string, string | readonly XmlField[] | undefined])[]): XmlField[] {
  return list.filter((f): f is XmlField => f[1] !== undefined);
}
