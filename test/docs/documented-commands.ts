import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'shell-quote';

/** One command line shown in a shell block of the README or a page of `docs/`. */
export interface DocumentedCommand {
  /** The page it is shown on, relative to the repository root. */
  readonly page: string;
  /** The command as written (continuation lines joined). */
  readonly text: string;
  /** Its words, after environment assignments and redirections are taken off. */
  readonly argv: readonly string[];
}

const SHELL_BLOCK = /```(?:sh|bash|shell)\n([\s\S]*?)```/g;
// The loop a page may wrap a command in: its header and footer are no commands of ours.
const LOOP_LINE = /^\s*(?:for\s+\w+\s+in\s.*;\s*do|done)\s*$/;

/** The pages whose commands must keep working: the README and every page of `docs/`. */
export function documentationPages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs];
}

/**
 * Every command in the shell blocks of the given pages, split at `&&`, `;` and `|`, with comments, leading
 * `NAME=value` assignments and `> file` redirections removed, so each can be checked on its own.
 */
export function documentedCommands(root: string, pages = documentationPages(root)): DocumentedCommand[] {
  const commands: DocumentedCommand[] = [];
  for (const file of pages) {
    const page = relative(root, file);
    for (const block of readFileSync(file, 'utf8').matchAll(SHELL_BLOCK)) {
      const script = joinQuotedLines(block[1].replace(/\\\n\s*/g, ' ').split('\n')).filter(
        (line) => line.trim() !== '' && !LOOP_LINE.test(line),
      );
      for (const line of script) commands.push(...splitLine(page, line.trim()));
    }
  }
  return commands;
}

// A quoted argument may span lines (a JSON document in single quotes): keep such lines together.
function joinQuotedLines(lines: readonly string[]): string[] {
  const joined: string[] = [];
  let pending = '';
  for (const line of lines) {
    pending = pending === '' ? line : `${pending}\n${line}`;
    if (!hasOpenQuote(pending)) {
      joined.push(pending);
      pending = '';
    }
  }
  if (pending !== '') throw new Error(`unterminated quote in a shell block: ${pending}`);
  return joined;
}

function hasOpenQuote(text: string): boolean {
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote === undefined && char === '#' && (index === 0 || /\s/.test(text[index - 1]))) {
      // A comment runs to the end of its line; its apostrophes quote nothing.
      const end = text.indexOf('\n', index);
      index = end < 0 ? text.length : end;
    } else if (quote === undefined && char === '\\') index++;
    else if (quote === undefined && (char === "'" || char === '"')) quote = char;
    else if (char === quote) quote = undefined;
  }
  return quote !== undefined;
}

function splitLine(page: string, line: string): DocumentedCommand[] {
  // Variables stay as written ($region): the checks judge the words, not a shell's expansion.
  const tokens = parse(line, (name) => `$${name}`);
  const commands: DocumentedCommand[] = [];
  let words: string[] = [];
  let skipNext = false;
  const flush = (): void => {
    const argv = dropAssignments(words);
    if (argv.length > 0) commands.push({ page, text: line, argv });
    words = [];
  };
  for (const token of tokens) {
    if (typeof token === 'string') {
      if (skipNext) skipNext = false;
      else words.push(token);
    } else if ('comment' in token) {
      break;
    } else if ('op' in token && token.op === '<') {
      // `<ADMIN>` in a command is read by a shell as redirections, so the command would not run as shown.
      throw new Error(`${page}: "${line}" uses < (a <placeholder>?): write placeholders as $VARIABLES`);
    } else if ('op' in token && ['>', '>>', '2>'].includes(token.op)) {
      skipNext = true;
    } else if ('op' in token && ['&&', ';', '|', '||'].includes(token.op)) {
      flush();
    } else {
      throw new Error(`${page}: shell construct ${JSON.stringify(token)} in "${line}" is not understood`);
    }
  }
  flush();
  return commands;
}

function dropAssignments(words: readonly string[]): string[] {
  let first = 0;
  while (first < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[first])) first++;
  return words.slice(first);
}
