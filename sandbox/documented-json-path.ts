/**
 * The JSONPath that SSM Automation documents for runbooks ("Using JSONPath in runbooks"): a root `$`
 * followed by dot-notation children (`.a`), array indexes (`[0]`) and deep scans (`..a`). Nothing else
 * (filters, wildcards, slices, unions, bracketed names) is documented, so nothing else is accepted.
 */

/** One step of a documented selector. */
export type JsonPathSegment =
  | { readonly kind: 'child'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'deep-scan'; readonly name: string };

/** A selector uses JSONPath outside the documented subset. */
export class UndocumentedJsonPathError extends Error {
  constructor(path: string, problem: string) {
    super(
      `JSONPath ${JSON.stringify(path)} is outside the subset Automation documents ($, .child, [index], ..name): ${problem}`,
    );
    this.name = 'UndocumentedJsonPathError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

/**
 * Parses a selector, refusing anything outside the documented subset.
 *
 * @param path - the `Selector` or `PropertySelector`
 * @returns its segments, in order
 * @throws UndocumentedJsonPathError naming what is not documented
 */
export function parseDocumentedJsonPath(path: string): JsonPathSegment[] {
  if (!path.startsWith('$')) throw new UndocumentedJsonPathError(path, 'it does not start at the root $');
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('..')) {
      const name = NAME.exec(rest.slice(2));
      if (name === null) throw new UndocumentedJsonPathError(path, `a deep scan needs a name at "${rest}"`);
      segments.push({ kind: 'deep-scan', name: name[0] });
      rest = rest.slice(2 + name[0].length);
    } else if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (name === null) throw new UndocumentedJsonPathError(path, `a child needs a name at "${rest}"`);
      segments.push({ kind: 'child', name: name[0] });
      rest = rest.slice(1 + name[0].length);
    } else {
      const index = /^\[(\d+)\]/.exec(rest);
      if (index === null)
        throw new UndocumentedJsonPathError(path, `"${rest}" is not .child, [index] or ..name`);
      segments.push({ kind: 'index', index: Number(index[1]) });
      rest = rest.slice(index[0].length);
    }
  }
  return segments;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function deepScan(value: unknown, name: string, found: unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) deepScan(item, name, found);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === name) found.push(inner);
      deepScan(inner, name, found);
    }
  }
}

/**
 * Evaluates a documented selector.
 *
 * @param path - the selector
 * @param json - the document to read
 * @returns every value it matches, in document order; empty when it matches nothing
 * @throws UndocumentedJsonPathError when the selector is outside the documented subset
 */
export function selectDocumentedJsonPath(path: string, json: unknown): unknown[] {
  let current: unknown[] = [json];
  for (const segment of parseDocumentedJsonPath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment.kind === 'child') {
        if (isObject(value) && !Array.isArray(value) && segment.name in value) next.push(value[segment.name]);
      } else if (segment.kind === 'index') {
        if (Array.isArray(value) && segment.index < value.length) next.push(value[segment.index]);
      } else {
        deepScan(value, segment.name, next);
      }
    }
    current = next;
  }
  return current;
}
