import './quiet-environment';
import { InvalidRuleParameterError } from '../../rule/errors';
import { DEFAULT_RULE_PARAMETERS, parseRuleParameters } from '../../rule/parameters';

describe('parseRuleParameters', () => {
  it.each([
    ['no parameters', undefined, DEFAULT_RULE_PARAMETERS],
    ['an empty string', '', DEFAULT_RULE_PARAMETERS],
    ['an empty object', '{}', DEFAULT_RULE_PARAMETERS],
    [
      'verifyLogGroup false, any case',
      '{"verifyLogGroup":"FALSE"}',
      { ...DEFAULT_RULE_PARAMETERS, verifyLogGroup: false, verifyKmsKeyState: false },
    ],
    ['verifyLogGroup true, padded', '{"verifyLogGroup":" True "}', DEFAULT_RULE_PARAMETERS],
    [
      'requireKmsEncryption true',
      '{"requireKmsEncryption":"TRUE"}',
      { ...DEFAULT_RULE_PARAMETERS, requireKmsEncryption: true },
    ],
    [
      'verifyKmsKeyState false',
      '{"verifyKmsKeyState":"false"}',
      { ...DEFAULT_RULE_PARAMETERS, verifyKmsKeyState: false },
    ],
    [
      'verifyDelivery with its grace',
      '{"verifyDelivery":"true","deliveryGraceMinutes":"90"}',
      { ...DEFAULT_RULE_PARAMETERS, verifyDelivery: true, deliveryGraceMinutes: 90 },
    ],
    ['minRetentionDays', '{"minRetentionDays":"365"}', { ...DEFAULT_RULE_PARAMETERS, minRetentionDays: 365 }],
    [
      'logGroupNamePrefix',
      '{"logGroupNamePrefix":"/aws/clientvpn/"}',
      { ...DEFAULT_RULE_PARAMETERS, logGroupNamePrefix: '/aws/clientvpn/' },
    ],
    [
      'executionRoleName',
      '{"executionRoleName":"ClientVpnLoggingRuleExecution"}',
      { ...DEFAULT_RULE_PARAMETERS, executionRoleName: 'ClientVpnLoggingRuleExecution' },
    ],
    [
      'executionRoleName with a path',
      '{"executionRoleName":"config/ClientVpnLoggingRuleExecution"}',
      { ...DEFAULT_RULE_PARAMETERS, executionRoleName: 'config/ClientVpnLoggingRuleExecution' },
    ],
    [
      'executionRoleName with a leading-slash path',
      '{"executionRoleName":"/org/config/Rule.Exec@2"}',
      { ...DEFAULT_RULE_PARAMETERS, executionRoleName: 'org/config/Rule.Exec@2' },
    ],
    [
      'a parameter left empty, as unset',
      '{"minRetentionDays":"","logGroupNamePrefix":" "}',
      DEFAULT_RULE_PARAMETERS,
    ],
    [
      'every parameter at once',
      '{"verifyLogGroup":"true","minRetentionDays":"90","requireKmsEncryption":"true","logGroupNamePrefix":"/security/","executionRoleName":"Exec","verifyKmsKeyState":"true","verifyDelivery":"true","deliveryGraceMinutes":"30"}',
      {
        verifyLogGroup: true,
        minRetentionDays: 90,
        requireKmsEncryption: true,
        logGroupNamePrefix: '/security/',
        executionRoleName: 'Exec',
        verifyKmsKeyState: true,
        verifyDelivery: true,
        deliveryGraceMinutes: 30,
      },
    ],
  ])('reads %s', (_case, raw, expected) => {
    expect(parseRuleParameters(raw)).toEqual(expected);
  });

  it.each([
    ['ruleParameters', 'not JSON', '{verifyLogGroup:true'],
    ['ruleParameters', 'an array', '["verifyLogGroup"]'],
    ['ruleParameters', 'null', 'null'],
    ['verifyLogGroups', 'an unknown name', '{"verifyLogGroups":"true"}'],
    ['verifyLogGroup', 'a non-boolean', '{"verifyLogGroup":"yes"}'],
    ['requireKmsEncryption', 'a non-boolean', '{"requireKmsEncryption":"1"}'],
    ['verifyLogGroup', 'a JSON boolean rather than a string', '{"verifyLogGroup":false}'],
    ['minRetentionDays', 'zero', '{"minRetentionDays":"0"}'],
    ['minRetentionDays', 'a negative number', '{"minRetentionDays":"-7"}'],
    ['minRetentionDays', 'a fraction', '{"minRetentionDays":"1.5"}'],
    ['minRetentionDays', 'words', '{"minRetentionDays":"a year"}'],
    ['minRetentionDays', 'a number too large to be exact', '{"minRetentionDays":"99999999999999999999"}'],
    ['logGroupNamePrefix', 'characters no log group name has', '{"logGroupNamePrefix":"/aws/client vpn"}'],
    [
      'executionRoleName',
      'a role ARN instead of a name',
      '{"executionRoleName":"arn:aws:iam::123456789012:role/Exec"}',
    ],
    ['executionRoleName', 'a name over 64 characters', `{"executionRoleName":"${'r'.repeat(65)}"}`],
    ['executionRoleName', 'a trailing slash', '{"executionRoleName":"config/"}'],
    ['minRetentionDays', 'a retention with no look-up', '{"verifyLogGroup":"false","minRetentionDays":"30"}'],
    [
      'requireKmsEncryption',
      'encryption with no look-up',
      '{"verifyLogGroup":"false","requireKmsEncryption":"true"}',
    ],
    [
      'verifyKmsKeyState',
      'a key check with no look-up',
      '{"verifyLogGroup":"false","verifyKmsKeyState":"true"}',
    ],
    [
      'verifyDelivery',
      'a delivery check with no look-up',
      '{"verifyLogGroup":"false","verifyDelivery":"true"}',
    ],
    ['verifyDelivery', 'a non-boolean', '{"verifyDelivery":"on"}'],
    ['deliveryGraceMinutes', 'zero minutes', '{"deliveryGraceMinutes":"0"}'],
    ['deliveryGraceMinutes', 'an hour in words', '{"deliveryGraceMinutes":"an hour"}'],
  ])('rejects %s given %s, naming it', (parameter, _case, raw) => {
    // Act
    const parse = () => parseRuleParameters(raw);

    // Assess
    expect(parse).toThrow(InvalidRuleParameterError);
    expect(parse).toThrow(`Invalid rule parameter "${parameter}"`);
    try {
      parse();
    } catch (error) {
      expect((error as InvalidRuleParameterError).parameter).toBe(parameter);
    }
  });
});
