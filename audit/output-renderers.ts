/**
 * The audit's output formats, by `--output` name: adding a format means adding its renderer's file
 * and an entry here; `--output`'s choices and help are derived from this map.
 */
import { asffRenderer } from './asff-renderer';
import { csvRenderer } from './csv-renderer';
import type { FindingsRenderer } from './findings-renderer';
import { jsonRenderer } from './json-renderer';
import { tableRenderer } from './table-renderer';

/** Every output format's renderer; the first is the default. */
export const OUTPUT_RENDERERS = {
  table: tableRenderer,
  json: jsonRenderer,
  csv: csvRenderer,
  asff: asffRenderer,
} as const satisfies Readonly<Record<string, FindingsRenderer>>;
