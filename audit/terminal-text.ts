/**
 * Text bound for a terminal or a CSV cell: AWS-sourced strings (endpoint IDs, log group names, error
 * messages) are stripped of control characters so a hostile or broken endpoint cannot move the cursor,
 * clear the screen or retitle the window, and of Unicode format characters so it cannot reorder what
 * is shown (U+202E RIGHT-TO-LEFT OVERRIDE) or hide text (zero-width characters); and cut to a width
 * with an ellipsis.
 */

// C0 controls but tab, DEL and C1 controls: every code point a terminal may act on (ECMA-48), and
// Unicode format characters (general category Cf): bidirectional overrides, zero-width characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\p{Cf}]/gu;

/**
 * Removes control and format characters, newlines kept when `keepNewlines` (tabs become a space).
 *
 * @param text - text that may come from an AWS response
 * @param keepNewlines - keep `\n` (for multi-line messages on stderr)
 * @returns the text without control characters
 */
export function withoutControlCharacters(text: string, keepNewlines = false): string {
  const cleaned = text.replace(/\t/g, ' ');
  if (!keepNewlines) return cleaned.replace(CONTROL_CHARACTERS, '');
  return cleaned
    .split('\n')
    .map((line) => line.replace(CONTROL_CHARACTERS, ''))
    .join('\n');
}

/**
 * Cuts text to at most `width` characters, ending in an ellipsis when cut.
 *
 * @param text - the text, already free of control characters
 * @param width - the most characters to keep; at least 1
 * @returns the text, or its start and `…`
 */
export function ellipsize(text: string, width: number): string {
  const characters = [...text];
  if (characters.length <= width) return text;
  return `${characters.slice(0, Math.max(0, width - 1)).join('')}…`;
}
