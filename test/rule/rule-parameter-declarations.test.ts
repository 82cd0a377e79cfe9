import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InvalidRuleParameterError } from '../../rule/errors';
import { DEFAULT_RULE_PARAMETERS, parseRuleParameters, ruleParameterStrings } from '../../rule/parameters';
import {
  RULE_PARAMETER_DECLARATIONS,
  RULE_PARAMETER_NAMES,
  DEPLOYED_RULE_PARAMETER_NAMES,
  TEMPLATE_CHECKABLE_PARAMETER_NAMES,
  isRuleParameterName,
  ruleParameterDeclaration,
} from '../../rule/rule-parameter-declarations';
import {
  RULE_PARAMETER_TABLE_HEADINGS,
  RULE_PARAMETER_TABLE_MARKERS,
  ruleParameterTableRows,
} from '../../rule/rule-parameter-table';

/** The cells of the generated table in docs/rule.md, as Prettier left them. */
function documentedRows(): string[][] {
  const page = readFileSync(path.join(__dirname, '..', '..', 'docs', 'rule.md'), 'utf8');
  const begin = page.indexOf(RULE_PARAMETER_TABLE_MARKERS.begin);
  const end = page.indexOf(RULE_PARAMETER_TABLE_MARKERS.end);
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return page
    .slice(begin, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('the rule parameter declarations', () => {
  it('are what docs/rule.md lists, row for row (run npm run docs:parameters after changing them)', () => {
    // Act
    const [heading, separator, ...rows] = documentedRows();

    // Assess
    expect(heading).toEqual([...RULE_PARAMETER_TABLE_HEADINGS]);
    expect(separator?.every((cell) => /^-+$/.test(cell))).toBe(true);
    expect(rows).toEqual(ruleParameterTableRows());
  });

  it('give every parameter with a flag a distinct kebab-case flag and context key', () => {
    // Prepare
    const declared = Object.values(RULE_PARAMETER_DECLARATIONS) as {
      cliFlag?: string;
      contextKey?: string;
    }[];
    const flags = declared.flatMap((d) => (d.cliFlag === undefined ? [] : [d.cliFlag]));
    const keys = declared.flatMap((d) => (d.contextKey === undefined ? [] : [d.contextKey]));

    // Assess
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(keys).size).toBe(keys.length);
    for (const flag of flags) expect(flag).toMatch(/^--[a-z]+(-[a-z]+)*$/);
  });

  it('name each CDK context key after its parameter, as the context defaults are typed', () => {
    for (const name of DEPLOYED_RULE_PARAMETER_NAMES) {
      expect(ruleParameterDeclaration(name).contextKey).toBe(name);
    }
    expect(DEPLOYED_RULE_PARAMETER_NAMES).not.toContain('executionRoleName');
  });

  it('derive the defaults from the declared defaults', () => {
    expect(DEFAULT_RULE_PARAMETERS).toEqual({
      verifyLogGroup: true,
      requireKmsEncryption: false,
      verifyKmsKeyState: true,
      verifyDelivery: false,
      deliveryGraceMinutes: 60,
    });
  });

  it('let a template check judge only the retention, the key and the name', () => {
    expect(TEMPLATE_CHECKABLE_PARAMETER_NAMES).toEqual([
      'minRetentionDays',
      'requireKmsEncryption',
      'logGroupNamePrefix',
    ]);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'does not take the object member %s for a parameter',
    (name) => {
      expect(isRuleParameterName(name)).toBe(false);
      expect(() => parseRuleParameters(`{"${name}":"1"}`)).toThrow(InvalidRuleParameterError);
    },
  );
});

describe('parseRuleParameters given a record', () => {
  it.each([
    [
      'typed values',
      { minRetentionDays: 365, requireKmsEncryption: true },
      { minRetentionDays: 365, requireKmsEncryption: true },
    ],
    [
      'strings',
      { minRetentionDays: '365', verifyDelivery: 'TRUE' },
      { minRetentionDays: 365, verifyDelivery: true },
    ],
    ['unset values', { minRetentionDays: undefined, logGroupNamePrefix: '' }, {}],
  ])('reads %s as the JSON text would be read', (_case, record, expected) => {
    expect(parseRuleParameters(record)).toEqual({ ...DEFAULT_RULE_PARAMETERS, ...expected });
  });

  it.each([
    ['minRetentionDays', { minRetentionDays: 3654 }, 'at most 3653 days'],
    ['deliveryGraceMinutes', { deliveryGraceMinutes: '10081' }, 'at most 10080 minutes'],
    ['minRetentionDays', { minRetentionDays: 1.5 }, 'positive whole number'],
    ['verifyKmsKeyState', { verifyLogGroup: false, verifyKmsKeyState: true }, 'needs verifyLogGroup'],
  ])('refuses %s out of its declared bounds or needs', (parameter, record, problem) => {
    // Act
    const parse = () => parseRuleParameters(record);

    // Assess
    expect(parse).toThrow(InvalidRuleParameterError);
    expect(parse).toThrow(problem);
    expect(parse).toThrow(`"${parameter}"`);
  });

  it('still refuses a JSON number in Config’s text, which only ever holds strings', () => {
    expect(() => parseRuleParameters('{"minRetentionDays":365}')).toThrow('expected a string value');
  });
});

describe('ruleParameterStrings', () => {
  it('writes each set parameter once as the string Config delivers, in declaration order', () => {
    // Act
    const strings = ruleParameterStrings({
      verifyDelivery: true,
      minRetentionDays: 90,
      logGroupNamePrefix: undefined,
    });

    // Assess
    expect(strings).toEqual({ minRetentionDays: '90', verifyDelivery: 'true' });
    expect(Object.keys(strings)).toEqual(RULE_PARAMETER_NAMES.filter((name) => name in strings));
    expect(parseRuleParameters(JSON.stringify(strings))).toEqual(
      parseRuleParameters({ verifyDelivery: true, minRetentionDays: 90 }),
    );
  });

  it('passes a value known only at deployment through unchecked, and checks the rest', () => {
    // Prepare
    const placeholder = 'Evaluation-${Token[AWS.Region.12]}';
    const isPlaceholder = (value: string) => value.includes('${Token[');

    // Act
    const strings = ruleParameterStrings(
      { executionRoleName: placeholder, minRetentionDays: 30 },
      isPlaceholder,
    );

    // Assess
    expect(strings).toEqual({ minRetentionDays: '30', executionRoleName: placeholder });
    expect(() =>
      ruleParameterStrings({ executionRoleName: placeholder, minRetentionDays: 0 }, isPlaceholder),
    ).toThrow('minRetentionDays');
  });

  it('refuses to write what the rule would refuse', () => {
    expect(() => ruleParameterStrings({ verifyLogGroup: false, requireKmsEncryption: true })).toThrow(
      InvalidRuleParameterError,
    );
  });
});
