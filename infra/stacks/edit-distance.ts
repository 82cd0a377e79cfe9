/**
 * The Levenshtein distance between two strings: the fewest single-character insertions, deletions and
 * substitutions that turn one into the other. Used to name the known setting a mistyped one was meant
 * to be; settings names are short, so the quadratic table costs nothing.
 *
 * @param from - one string
 * @param to - the other
 * @returns the distance, 0 when the strings are equal
 */
export function editDistance(from: string, to: string): number {
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let row = 1; row <= from.length; row++) {
    const current = [row];
    for (let column = 1; column <= to.length; column++) {
      const substitution = previous[column - 1] + (from[row - 1] === to[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column] + 1, current[column - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[to.length];
}
