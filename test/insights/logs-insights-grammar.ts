/**
 * A checker of the documented subset of the CloudWatch Logs Insights query language and of JSON metric
 * filter patterns that this project writes, so a query or pattern that AWS would refuse, or that names
 * a field the connection log does not have, fails a test instead of a deployment.
 *
 * Queries: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html (commands
 * `fields`, `filter`, `stats`, `sort`, `limit`; up to two `stats`; `#` comments), functions from
 * "Boolean, comparison, numeric, datetime, and other functions" and "Aggregation functions in the stats
 * command", backticks around fields with characters other than letters, digits, `@`, `.` and `_`
 * (CWL_QuerySyntax-Guidelines.html); `limit` at most 10,000 rows.
 * Patterns: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html (JSON:
 * `{ $.property = "value" }`, `!=`, `&&`, `||`, parentheses).
 */
import { CONNECTION_LOG_FIELDS } from '../../insights/connection-log-entry';

const SYSTEM_FIELDS = ['@timestamp', '@message', '@log', '@logStream', '@ptr'];
const FUNCTIONS = [
  'coalesce',
  'ispresent',
  'earliest',
  'latest',
  'count',
  'count_distinct',
  'max',
  'min',
  'sum',
  'avg',
];
const AGGREGATES = ['earliest', 'latest', 'count', 'count_distinct', 'max', 'min', 'sum', 'avg'];
const KEYWORDS = ['and', 'or', 'not', 'as', 'by', 'asc', 'desc'];
const COMMANDS = ['fields', 'filter', 'stats', 'sort', 'limit'];

const TOKEN = /\s*(`[^`]*`|"(?:[^"\\]|\\.)*"|\d+|[@A-Za-z_][@A-Za-z0-9_.-]*|!=|<=|>=|=|<|>|\(|\)|,|\*)/y;

function tokens(text: string): string[] | string {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) return `unexpected text at "${text.slice(at, at + 20)}"`;
    out.push(match[1] as string);
  }
  return out;
}

/** Splits a query into commands at `|` outside quotes and backticks, dropping `#` comment lines. */
function commands(query: string): string[] {
  const text = query
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote !== undefined) quote = ch === quote ? undefined : quote;
    else if (ch === '"' || ch === '`') quote = ch;
    else if (ch === '|') {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts;
}

/**
 * Checks a Logs Insights query.
 *
 * @param query - the query text
 * @returns the problems found; empty when the query is in the documented subset
 */
export function checkLogsInsightsQuery(query: string): string[] {
  const problems: string[] = [];
  const known = new Set<string>([...CONNECTION_LOG_FIELDS, ...SYSTEM_FIELDS]);
  let stats = 0;
  for (const command of commands(query)) {
    const list = tokens(command);
    if (typeof list === 'string') {
      problems.push(list);
      continue;
    }
    const [verb, ...rest] = list;
    if (verb === undefined || !COMMANDS.includes(verb)) {
      problems.push(`unknown command "${verb ?? ''}"`);
      continue;
    }
    if (verb === 'stats' && ++stats > 2) problems.push('more than two stats commands');
    if (verb === 'limit') {
      const n = Number(rest[0]);
      if (rest.length !== 1 || !Number.isInteger(n) || n < 1 || n > 10_000)
        problems.push(`limit must be one whole number from 1 to 10000, got "${rest.join(' ')}"`);
      continue;
    }
    if (verb === 'sort' && !(rest.length === 2 && ['asc', 'desc'].includes(rest[1] as string)))
      problems.push(`sort takes one field and asc or desc, got "${rest.join(' ')}"`);
    // Aliases defined in this command (`... as name`) are known from here on.
    rest.forEach((token, i) => {
      if (rest[i - 1] === 'as') known.add(token);
    });
    if (verb === 'stats') {
      const calls = rest.filter((_token, i) => rest[i + 1] === '(');
      const byAt = rest.indexOf('by');
      const beforeBy = byAt === -1 ? rest : rest.slice(0, byAt);
      if (!beforeBy.some((token) => AGGREGATES.includes(token)))
        problems.push('stats without an aggregation function');
      for (const call of calls.filter((c) => !FUNCTIONS.includes(c)))
        problems.push(`unknown function ${call}()`);
    }
    rest.forEach((token, i) => {
      if (/^["\d(),*=<>!]/.test(token) || KEYWORDS.includes(token)) return;
      if (rest[i + 1] === '(') {
        if (!FUNCTIONS.includes(token)) problems.push(`unknown function ${token}()`);
        return;
      }
      const bare = token.startsWith('`') ? token.slice(1, -1) : token;
      if (!token.startsWith('`') && /[^A-Za-z0-9_.@]/.test(token))
        problems.push(`field ${token} holds a special character and must be in backticks`);
      if (!known.has(bare) && rest[i - 1] !== 'as') problems.push(`unknown field ${bare}`);
    });
  }
  return [...new Set(problems)];
}

/**
 * Checks a JSON metric filter pattern.
 *
 * @param pattern - the pattern text
 * @returns the problems found; empty when the pattern is a valid JSON pattern over documented fields
 */
export function checkJsonFilterPattern(pattern: string): string[] {
  const match = /^\{\s*(.*?)\s*\}$/s.exec(pattern);
  if (match === null) return ['a JSON filter pattern is enclosed in { }'];
  const list = (match[1] as string).match(/\$\.[A-Za-z0-9_-]+|"[^"]*"|&&|\|\||!=|=|\(|\)|\S+/g) ?? [];
  const problems: string[] = [];
  let at = 0;
  const term = (): void => {
    const token = list[at++];
    if (token === '(') {
      expression();
      if (list[at++] !== ')') problems.push('unbalanced parentheses');
      return;
    }
    if (token === undefined || !token.startsWith('$.')) {
      problems.push(`expected a $.property selector, got "${token ?? ''}"`);
      return;
    }
    if (!(CONNECTION_LOG_FIELDS as readonly string[]).includes(token.slice(2)))
      problems.push(`unknown property ${token}`);
    const operator = list[at++];
    const value = list[at++];
    if (operator !== '=' && operator !== '!=') problems.push(`unsupported operator "${operator ?? ''}"`);
    if (value === undefined || !/^"[^"]*"$/.test(value))
      problems.push(`expected a quoted string, got "${value ?? ''}"`);
  };
  const expression = (): void => {
    term();
    while (list[at] === '&&' || list[at] === '||') {
      at++;
      term();
    }
  };
  expression();
  if (at !== list.length) problems.push(`unexpected "${list[at] ?? ''}"`);
  return problems;
}
