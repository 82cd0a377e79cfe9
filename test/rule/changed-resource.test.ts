import { changedResource, keyIdOf } from '../../rule/changed-resource';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-west-2:111122223333:key/${KEY_ID}`;
const GROUP = '/aws/clientvpn/corp-remote-access';

describe('changedResource', () => {
  it.each([
    [
      'the key ARN CloudTrail records in resources, before the alias the caller wrote',
      { requestParameters: { keyId: 'alias/vpn' }, resources: [{ type: 'AWS::KMS::Key', ARN: KEY_ARN }] },
      { kind: 'key', keyId: KEY_ID },
    ],
    [
      'the key ARN CloudTrail records in responseElements.keyId',
      { requestParameters: { keyId: 'alias/vpn' }, responseElements: { keyId: KEY_ARN } },
      { kind: 'key', keyId: KEY_ID },
    ],
    ['a bare key ID', { requestParameters: { keyId: KEY_ID } }, { kind: 'key', keyId: KEY_ID }],
    [
      'a multi-Region key ID',
      { requestParameters: { keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab' } },
      { kind: 'key', keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab' },
    ],
    [
      'an alias name',
      { requestParameters: { keyId: 'alias/vpn' } },
      { kind: 'key-alias', alias: 'alias/vpn' },
    ],
    [
      'an alias ARN',
      { requestParameters: { keyId: 'arn:aws:kms:us-west-2:111122223333:alias/vpn' } },
      { kind: 'key-alias', alias: 'arn:aws:kms:us-west-2:111122223333:alias/vpn' },
    ],
    [
      'no key at all',
      { requestParameters: null },
      { kind: 'unknown', reason: expect.stringContaining('no key') },
    ],
    [
      'a key ARN with too few parts',
      { requestParameters: { keyId: 'arn:aws:kms:us-west-2:key/1234abcd' } },
      { kind: 'unknown', reason: expect.stringContaining('neither a key nor an alias') },
    ],
    [
      'a key ARN of another service',
      { requestParameters: { keyId: `arn:aws:s3:us-west-2:111122223333:key/${KEY_ID}` } },
      { kind: 'unknown', reason: expect.stringContaining('neither a key nor an alias') },
    ],
    [
      'something that is neither key nor alias',
      { requestParameters: { keyId: 'not a key' } },
      { kind: 'unknown', reason: expect.stringContaining('neither a key nor an alias') },
    ],
  ])('reads from a KMS call %s', (_case, detail, expected) => {
    expect(changedResource('kms.amazonaws.com', detail)).toEqual(expected);
  });

  it.each([
    ['logGroupName', { logGroupName: GROUP }, { kind: 'log-group', logGroupName: GROUP }],
    [
      'a log group ARN in resourceIdentifier',
      { resourceIdentifier: `arn:aws:logs:us-east-1:111122223333:log-group:${GROUP}:*` },
      { kind: 'log-group', logGroupName: GROUP },
    ],
    [
      'a name in logGroupIdentifier',
      { logGroupIdentifier: GROUP },
      { kind: 'log-group', logGroupName: GROUP },
    ],
    [
      "the account's query results",
      { resourceIdentifier: 'arn:aws:logs:us-east-1:111122223333:query-result:*' },
      { kind: 'none', reason: expect.stringContaining('query results') },
    ],
    [
      'an ARN of something else',
      { resourceIdentifier: 'arn:aws:logs:us-east-1:111122223333:destination:d' },
      { kind: 'unknown', reason: expect.stringContaining('not a log group ARN') },
    ],
    [
      'a log group ARN with too few parts',
      { resourceIdentifier: 'arn:aws:logs:us-east-1:log-group' },
      { kind: 'unknown', reason: expect.stringContaining('not a log group ARN') },
    ],
    [
      'a log group ARN of another service',
      { resourceIdentifier: `arn:aws:kms:us-east-1:111122223333:log-group:${GROUP}` },
      { kind: 'unknown', reason: expect.stringContaining('not a log group ARN') },
    ],
    ['nothing', {}, { kind: 'unknown', reason: expect.stringContaining('no log group') }],
  ])('reads from a CloudWatch Logs call %s', (_case, requestParameters, expected) => {
    expect(changedResource('logs.amazonaws.com', { requestParameters })).toEqual(expected);
  });

  it('reads an EC2 call as a change to an endpoint of the account and region', () => {
    expect(changedResource('ec2.amazonaws.com', {})).toEqual({ kind: 'endpoint' });
  });

  it.each(['s3.amazonaws.com', '__proto__'])('knows no reader for %s', (eventSource) => {
    expect(changedResource(eventSource, {})).toMatchObject({ kind: 'unknown' });
  });

  it('reads only own properties of the record', () => {
    const detail = Object.create({ requestParameters: { keyId: KEY_ID } }) as object;
    expect(changedResource('kms.amazonaws.com', detail)).toMatchObject({ kind: 'unknown' });
  });
});

describe('keyIdOf', () => {
  it.each([
    [KEY_ARN, KEY_ID],
    [KEY_ID, KEY_ID],
    ['alias/vpn', undefined],
    ['arn:aws:kms:us-west-2:111122223333:alias/vpn', undefined],
  ])('reads %s as %s', (reference, expected) => {
    expect(keyIdOf(reference)).toBe(expected);
  });
});
