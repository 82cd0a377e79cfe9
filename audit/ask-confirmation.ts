/**
 * Asks a yes/no question on a terminal before anything is changed.
 */
import { createInterface } from 'node:readline';

/**
 * Asks `question` and reads one line; only `y` or `yes` (any case) is a yes.
 *
 * @param question - the question, shown on `output`
 * @param input - where the answer is read from (the terminal's stdin)
 * @param output - where the question is written (stderr, so stdout stays for results)
 * @returns whether the answer was yes; false when input ends without an answer
 */
export function askConfirmation(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const lines = createInterface({ input, output, terminal: false });
  output.write(`${question} [y/N] `);
  return new Promise((resolve) => {
    let answered = false;
    lines.once('line', (answer) => {
      answered = true;
      lines.close();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    });
    lines.once('close', () => {
      if (!answered) resolve(false);
    });
  });
}
