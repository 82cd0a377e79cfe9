import { Command } from 'commander';
import {
  RuleParameterOptionError,
  flaggedRuleParameterNames,
  ruleParameterFlag,
  ruleParameterOptions,
  ruleParameterValuesFromOptions,
} from '../../audit/rule-parameter-options';
import { parseRuleParameters } from '../../rule/parameters';

/** Parses argv with only the rule-parameter options, as a command would. */
function parsed(argv: readonly string[], templateCheckableOnly = false) {
  const names = flaggedRuleParameterNames(templateCheckableOnly);
  const command = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  for (const option of ruleParameterOptions(names)) command.addOption(option);
  command.parse(['node', 'cli', ...argv]);
  return ruleParameterValuesFromOptions(command.opts(), names);
}

describe('the rule parameter options', () => {
  it.each([
    [[], {}],
    [['--min-retention-days', '365'], { minRetentionDays: '365' }],
    [['--no-verify-log-group'], { verifyLogGroup: false }],
    [['--require-kms-encryption', '--verify-delivery'], { requireKmsEncryption: true, verifyDelivery: true }],
    [
      ['--no-verify-kms-key-state', '--delivery-grace-minutes', '30'],
      { verifyKmsKeyState: false, deliveryGraceMinutes: '30' },
    ],
    [['--log-group-name-prefix', '/vpn/'], { logGroupNamePrefix: '/vpn/' }],
  ])('reads %j as only the parameters given', (argv, expected) => {
    expect(parsed(argv)).toEqual(expected);
  });

  it('lets --no-verify-log-group alone parse, leaving the key-state default out', () => {
    expect(parseRuleParameters(parsed(['--no-verify-log-group']))).toMatchObject({
      verifyLogGroup: false,
      verifyKmsKeyState: false,
    });
  });

  it('offers a template check only the parameters it can judge', () => {
    // Act
    const read = () => parsed(['--verify-delivery'], true);

    // Assess
    expect(read).toThrow("unknown option '--verify-delivery'");
    expect(flaggedRuleParameterNames(true)).toEqual([
      'minRetentionDays',
      'requireKmsEncryption',
      'logGroupNamePrefix',
    ]);
  });

  it('refuses an empty prefix, naming the flag', () => {
    // Act
    const read = () => parsed(['--log-group-name-prefix', '']);

    // Assess
    expect(read).toThrow(RuleParameterOptionError);
    expect(read).toThrow('--log-group-name-prefix: needs a non-empty value');
  });

  it.each([
    ['minRetentionDays', '--min-retention-days'],
    ['verifyLogGroup', '--no-verify-log-group'],
    ['executionRoleName', 'executionRoleName'],
    ['ruleParameters', 'ruleParameters'],
  ])('names %s by the flag %s', (name, flag) => {
    expect(ruleParameterFlag(name)).toBe(flag);
  });
});
