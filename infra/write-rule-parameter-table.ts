/**
 * `npm run docs:parameters`: rewrites the generated rule-parameter table in docs/rule.md from the
 * declarations, then lets Prettier pad it, so the page and the code cannot disagree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULE_PARAMETER_TABLE_MARKERS, ruleParameterMarkdownTable } from '../rule/rule-parameter-table';

const page = path.join(__dirname, '..', 'docs', 'rule.md');
const text = readFileSync(page, 'utf8');
const begin = text.indexOf(RULE_PARAMETER_TABLE_MARKERS.begin);
const end = text.indexOf(RULE_PARAMETER_TABLE_MARKERS.end);
if (begin < 0 || end < begin) throw new Error(`${page} has no rule-parameter table markers`);
writeFileSync(
  page,
  text.slice(0, begin) +
    ruleParameterMarkdownTable() +
    text.slice(end + RULE_PARAMETER_TABLE_MARKERS.end.length),
);
execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', page], {
  stdio: 'inherit',
});
