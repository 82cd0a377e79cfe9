import {
  connectionDueInLogs,
  decideCompliance,
  deliveryToCheck,
  keyToLookUp,
  limitAnnotation,
  logGroupToLookUp,
  MAX_ANNOTATION_LENGTH,
} from '../../rule/decision';
import { DEFAULT_RULE_PARAMETERS } from '../../rule/parameters';
import type {
  DeliveryEvidence,
  EndpointFacts,
  KeyLookup,
  LogGroupLookup,
  RuleParameters,
} from '../../rule/types';

const GROUP = '/aws/clientvpn/corp-remote-access';
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a';

const endpoint = (overrides: Partial<EndpointFacts> = {}): EndpointFacts => ({
  endpointId: 'cvpn-endpoint-0a1b2c3d4e5f60718',
  status: 'available',
  connectionLog: { enabled: true, logGroupName: GROUP, logStreamName: 'connections' },
  ...overrides,
});
const found = (retentionInDays?: number, kmsKeyId?: string): LogGroupLookup => ({
  status: 'found',
  logGroup: {
    name: GROUP,
    ...(retentionInDays ? { retentionInDays } : {}),
    ...(kmsKeyId ? { kmsKeyId } : {}),
  },
});
const params = (overrides: Partial<RuleParameters> = {}): RuleParameters => ({
  ...DEFAULT_RULE_PARAMETERS,
  ...overrides,
});

describe('decideCompliance', () => {
  it.each<[string, EndpointFacts, LogGroupLookup, RuleParameters, string, RegExp | undefined]>([
    ['an enabled endpoint whose log group exists', endpoint(), found(), params(), 'COMPLIANT', undefined],
    [
      'an endpoint with logging disabled',
      endpoint({ connectionLog: { enabled: false } }),
      { status: 'not-checked' },
      params(),
      'NON_COMPLIANT',
      /Connection logging is disabled\. Fix: enable ConnectionLogOptions/,
    ],
    [
      'a disabled endpoint that still names a log group',
      endpoint({ connectionLog: { enabled: false, logGroupName: GROUP } }),
      found(),
      params(),
      'NON_COMPLIANT',
      /disabled/,
    ],
    [
      'an enabled endpoint that names no log group',
      endpoint({ connectionLog: { enabled: true } }),
      { status: 'not-checked' },
      params(),
      'NON_COMPLIANT',
      /names no CloudWatch Logs group/,
    ],
    [
      'an enabled endpoint whose log group name is empty',
      endpoint({ connectionLog: { enabled: true, logGroupName: '' } }),
      { status: 'not-checked' },
      params(),
      'NON_COMPLIANT',
      /names no CloudWatch Logs group/,
    ],
    [
      'an endpoint whose log group was deleted',
      endpoint(),
      { status: 'missing' },
      params(),
      'NON_COMPLIANT',
      /Log group "\/aws\/clientvpn\/corp-remote-access" does not exist in this account and region.*Fix: create/,
    ],
    [
      'an endpoint judged from its configuration alone (verifyLogGroup false)',
      endpoint(),
      { status: 'not-checked' },
      params({ verifyLogGroup: false }),
      'COMPLIANT',
      undefined,
    ],
    [
      'a log group that keeps events for less than the minimum',
      endpoint(),
      found(1),
      params({ minRetentionDays: 365 }),
      'NON_COMPLIANT',
      /keeps events 1 day, minRetentionDays requires 365\. Fix: set its retention to at least 365 days/,
    ],
    [
      'a log group that keeps events exactly the minimum',
      endpoint(),
      found(365),
      params({ minRetentionDays: 365 }),
      'COMPLIANT',
      undefined,
    ],
    [
      'a log group that keeps events longer than the minimum',
      endpoint(),
      found(3653),
      params({ minRetentionDays: 365 }),
      'COMPLIANT',
      undefined,
    ],
    [
      'a never-expiring log group against any minimum',
      endpoint(),
      found(undefined),
      params({ minRetentionDays: 3653 }),
      'COMPLIANT',
      undefined,
    ],
    [
      'an unencrypted log group when KMS is required',
      endpoint(),
      found(365),
      params({ requireKmsEncryption: true }),
      'NON_COMPLIANT',
      /is not encrypted with a KMS key \(requireKmsEncryption\)\. Fix: associate a KMS key/,
    ],
    [
      'a KMS-encrypted log group when KMS is required',
      endpoint(),
      found(365, KMS_KEY),
      params({ requireKmsEncryption: true }),
      'COMPLIANT',
      undefined,
    ],
    [
      'a log group failing both retention and encryption',
      endpoint(),
      found(7),
      params({ minRetentionDays: 90, requireKmsEncryption: true }),
      'NON_COMPLIANT',
      /keeps events 7 days, minRetentionDays requires 90 and is not encrypted.*Fix: set its retention to at least 90 days and associate a KMS key/,
    ],
    [
      'a log group outside the required prefix',
      endpoint(),
      found(),
      params({ logGroupNamePrefix: '/security/' }),
      'NON_COMPLIANT',
      /does not start with the required prefix "\/security\/" \(logGroupNamePrefix\)/,
    ],
    [
      'a log group outside the required prefix, even unchecked',
      endpoint(),
      { status: 'not-checked' },
      params({ verifyLogGroup: false, logGroupNamePrefix: '/security/' }),
      'NON_COMPLIANT',
      /logGroupNamePrefix/,
    ],
    [
      'a log group inside the required prefix',
      endpoint(),
      found(),
      params({ logGroupNamePrefix: '/aws/clientvpn/' }),
      'COMPLIANT',
      undefined,
    ],
    [
      'a deleted endpoint, whatever its logging',
      endpoint({ status: 'deleted', connectionLog: { enabled: false } }),
      { status: 'not-checked' },
      params(),
      'NOT_APPLICABLE',
      /status is "deleted"/,
    ],
    [
      'a deleting endpoint',
      endpoint({ status: 'deleting' }),
      { status: 'missing' },
      params(),
      'NOT_APPLICABLE',
      /status is "deleting"/,
    ],
    [
      'a pending-associate endpoint that logs',
      endpoint({ status: 'pending-associate' }),
      found(),
      params(),
      'COMPLIANT',
      undefined,
    ],
    [
      'an endpoint whose status is unknown',
      endpoint({ status: undefined }),
      found(),
      params(),
      'COMPLIANT',
      undefined,
    ],
  ])('judges %s', (_case, facts, lookup, parameters, compliance, annotation) => {
    // Act
    const verdict = decideCompliance(facts, lookup, parameters);

    // Assess
    expect(verdict.compliance).toBe(compliance);
    if (annotation) expect(verdict.annotation).toMatch(annotation);
    else expect(verdict.annotation).toBeUndefined();
    expect((verdict.annotation ?? '').length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });

  it('keeps the annotation within 256 characters for a 512-character log group name', () => {
    // Prepare
    const longName = `/aws/clientvpn/${'a'.repeat(497)}`;
    const facts = endpoint({ connectionLog: { enabled: true, logGroupName: longName } });

    // Act
    const verdict = decideCompliance(
      facts,
      { status: 'found', logGroup: { name: longName, retentionInDays: 1 } },
      params({
        minRetentionDays: 3653,
        requireKmsEncryption: true,
        logGroupNamePrefix: `/aws/clientvpn/${'a'.repeat(497)}`,
      }),
    );

    // Assess
    expect(verdict.compliance).toBe('NON_COMPLIANT');
    expect(verdict.annotation!.length).toBeLessThanOrEqual(256);
    expect(verdict.annotation).toContain('minRetentionDays requires 3653');
  });

  it('keeps the prefix annotation within 256 characters for long names', () => {
    // Prepare
    const longName = `/x/${'b'.repeat(509)}`;

    // Act
    const verdict = decideCompliance(
      endpoint({ connectionLog: { enabled: true, logGroupName: longName } }),
      { status: 'not-checked' },
      params({ verifyLogGroup: false, logGroupNamePrefix: `/y/${'c'.repeat(509)}` }),
    );

    // Assess
    expect(verdict.annotation!.length).toBeLessThanOrEqual(256);
    expect(verdict.annotation).toMatch(/^Log group "\/x\/b+\.\.\." does not start/);
  });
});

describe('limitAnnotation', () => {
  it.each([
    ['leaves a short annotation alone', 'short', 'short'],
    ['leaves a 256-character annotation alone', 'x'.repeat(256), 'x'.repeat(256)],
    [
      'cuts a 257-character annotation to 256, ending in an ellipsis',
      'y'.repeat(257),
      `${'y'.repeat(253)}...`,
    ],
  ])('%s', (_case, text, expected) => {
    expect(limitAnnotation(text)).toBe(expected);
  });
});

describe('logGroupToLookUp', () => {
  it.each<[string, EndpointFacts, RuleParameters, string | undefined]>([
    ['an enabled endpoint naming a group', endpoint(), params(), GROUP],
    ['verifyLogGroup false', endpoint(), params({ verifyLogGroup: false }), undefined],
    [
      'logging disabled',
      endpoint({ connectionLog: { enabled: false, logGroupName: GROUP } }),
      params(),
      undefined,
    ],
    ['no group named', endpoint({ connectionLog: { enabled: true } }), params(), undefined],
    ['a deleting endpoint', endpoint({ status: 'deleting' }), params(), undefined],
    [
      'a group outside logGroupNamePrefix',
      endpoint(),
      params({ logGroupNamePrefix: '/security/' }),
      undefined,
    ],
    [
      'a group inside logGroupNamePrefix',
      endpoint(),
      params({ logGroupNamePrefix: '/aws/clientvpn/' }),
      GROUP,
    ],
  ])('for %s gives %s', (_case, facts, parameters, expected) => {
    // Act
    const name = logGroupToLookUp(facts, parameters);

    // Assess: no look-up is asked for whose answer could not change the verdict.
    expect(name).toBe(expected);
    if (name === undefined) {
      const withoutLookUp = decideCompliance(facts, { status: 'not-checked' }, parameters);
      const withMissing = decideCompliance(facts, { status: 'missing' }, parameters);
      expect(withoutLookUp).toEqual(parameters.verifyLogGroup ? withMissing : withoutLookUp);
    }
  });
});

describe('decideCompliance, key state (verifyKmsKeyState)', () => {
  const keyFound = (keyState: string, deletionDate?: Date): KeyLookup => ({
    status: 'found',
    keyId: KMS_KEY,
    keyState,
    ...(deletionDate ? { deletionDate } : {}),
  });

  it('marks an endpoint whose key is Enabled COMPLIANT', () => {
    expect(decideCompliance(endpoint(), found(365, KMS_KEY), params(), { key: keyFound('Enabled') })).toEqual(
      {
        compliance: 'COMPLIANT',
      },
    );
  });

  it.each<[string, RegExp]>([
    ['Disabled', /enable the key \(kms:EnableKey\)/],
    ['PendingDeletion', /CancelKeyDeletion/],
    ['PendingReplicaDeletion', /primary key/],
    ['PendingImport', /ImportKeyMaterial/],
    ['Unavailable', /custom key store/],
    ['Creating', /make the key Enabled/],
    ['Updating', /make the key Enabled/],
  ])('marks an endpoint whose key is %s NON_COMPLIANT, naming the state and the fix', (state, fix) => {
    // Act
    const verdict = decideCompliance(endpoint(), found(365, KMS_KEY), params(), { key: keyFound(state) });

    // Assess
    expect(verdict.compliance).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain(`KMS key 4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a, which is ${state}`);
    expect(verdict.annotation).toMatch(fix);
  });

  it('marks an endpoint whose key is pending deletion NON_COMPLIANT, naming the deletion date', () => {
    // Act
    const verdict = decideCompliance(endpoint(), found(365, KMS_KEY), params(), {
      key: keyFound('PendingDeletion', new Date('2026-12-07T10:00:00.000Z')),
    });

    // Assess
    expect(verdict.annotation).toContain('which is PendingDeletion, to be deleted 2026-12-07T10:00:00Z');
  });

  it.each(['AccessDeniedException', 'NotFoundException'])(
    'marks an endpoint whose key cannot be read (%s) NON_COMPLIANT, naming kms:DescribeKey',
    (errorCode) => {
      // Act
      const verdict = decideCompliance(endpoint(), found(365, KMS_KEY), params(), {
        key: { status: 'unreadable', keyId: KMS_KEY, errorCode },
      });

      // Assess
      expect(verdict.compliance).toBe('NON_COMPLIANT');
      expect(verdict.annotation).toContain(`state could not be read (${errorCode}`);
      expect(verdict.annotation).toContain('kms:DescribeKey');
    },
  );

  it('ignores the key state when verifyKmsKeyState is off', () => {
    expect(
      decideCompliance(endpoint(), found(365, KMS_KEY), params({ verifyKmsKeyState: false }), {
        key: keyFound('Disabled'),
      }).compliance,
    ).toBe('COMPLIANT');
  });

  it('names a retention failure and a key failure together', () => {
    // Act
    const verdict = decideCompliance(endpoint(), found(7, KMS_KEY), params({ minRetentionDays: 30 }), {
      key: keyFound('Disabled'),
    });

    // Assess
    expect(verdict.annotation).toMatch(/keeps events 7 days.* and is encrypted with KMS key .* Disabled/);
  });
});

describe('keyToLookUp', () => {
  it.each<[string, LogGroupLookup, RuleParameters, string | undefined]>([
    ['a found group with a key', found(365, KMS_KEY), params(), KMS_KEY],
    ['a found group without a key', found(365), params(), undefined],
    ['a missing group', { status: 'missing' }, params(), undefined],
    ['verifyKmsKeyState off', found(365, KMS_KEY), params({ verifyKmsKeyState: false }), undefined],
  ])('asks for %s: %s', (_case, lookup, parameters, expected) => {
    expect(keyToLookUp(lookup, parameters)).toBe(expected);
  });
});

describe('decideCompliance, delivery (verifyDelivery)', () => {
  const NOW = new Date('2026-11-20T12:00:00.000Z');
  const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);
  const evidence = (connections: number[], lastIngestionMinutesAgo?: number): DeliveryEvidence => ({
    connectionTimes: connections.map(minutesAgo),
    observedAt: NOW,
    ...(lastIngestionMinutesAgo === undefined ? {} : { lastIngestion: minutesAgo(lastIngestionMinutesAgo) }),
  });
  const delivery = params({ verifyDelivery: true });

  it.each<[string, DeliveryEvidence, string]>([
    ['no connections', evidence([]), 'COMPLIANT'],
    ['only a connection newer than the grace and no ingestion', evidence([59]), 'COMPLIANT'],
    ['a connection older than the grace, ingested after it', evidence([90], 80), 'COMPLIANT'],
    ['a connection older than the grace, ingested at the same moment', evidence([90], 90), 'COMPLIANT'],
    ['a connection older than the grace and no ingestion at all', evidence([61]), 'NON_COMPLIANT'],
    ['a connection older than the grace, last ingestion before it', evidence([90], 200), 'NON_COMPLIANT'],
    ['an old ingested connection and a newer one never ingested', evidence([300, 90], 250), 'NON_COMPLIANT'],
  ])('judges an endpoint with %s', (_case, facts, compliance) => {
    expect(decideCompliance(endpoint(), found(365), delivery, { delivery: facts }).compliance).toBe(
      compliance,
    );
  });

  it('names the connection time and the last ingestion time', () => {
    // Act
    const verdict = decideCompliance(endpoint(), found(365), delivery, {
      delivery: { ...evidence([90], 200), streamName: 'connections' },
    });

    // Assess
    expect(verdict.annotation).toContain('(stream "connections") since a connection at 2026-11-20T10:30:00Z');
    expect(verdict.annotation).toContain('last at 2026-11-20T08:40:00Z');
  });

  it('says never when nothing was ingested', () => {
    expect(
      decideCompliance(endpoint(), found(365), delivery, { delivery: evidence([61]) }).annotation,
    ).toMatch(/since a connection at 2026-11-20T10:59:00Z \(never; verifyDelivery\)/);
  });

  it('applies deliveryGraceMinutes', () => {
    expect(
      decideCompliance(endpoint(), found(365), params({ verifyDelivery: true, deliveryGraceMinutes: 120 }), {
        delivery: evidence([90]),
      }).compliance,
    ).toBe('COMPLIANT');
  });

  it('ignores delivery evidence when verifyDelivery is off', () => {
    expect(decideCompliance(endpoint(), found(365), params(), { delivery: evidence([90]) }).compliance).toBe(
      'COMPLIANT',
    );
  });
});

describe('deliveryToCheck', () => {
  it('reads the named stream when the endpoint names one', () => {
    expect(deliveryToCheck(endpoint(), found(365), params({ verifyDelivery: true }))).toEqual({
      logGroupName: GROUP,
      logStreamName: 'connections',
    });
  });

  it('reads the whole group when the endpoint names no stream', () => {
    const noStream = endpoint({ connectionLog: { enabled: true, logGroupName: GROUP } });
    expect(deliveryToCheck(noStream, found(365), params({ verifyDelivery: true }))).toEqual({
      logGroupName: GROUP,
    });
  });

  it.each<[string, LogGroupLookup, RuleParameters]>([
    ['verifyDelivery is off', found(365), params()],
    ['the group is missing', { status: 'missing' }, params({ verifyDelivery: true })],
  ])('reads nothing when %s', (_case, lookup, parameters) => {
    expect(deliveryToCheck(endpoint(), lookup, parameters)).toBeUndefined();
  });
});

describe('connectionDueInLogs', () => {
  it('gives the newest connection older than the grace, or nothing', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const times = ['2026-11-20T09:00:00Z', '2026-11-20T10:30:00Z', '2026-11-20T11:30:00Z'].map(
      (t) => new Date(t),
    );
    expect(connectionDueInLogs(times, now, 60)).toEqual(new Date('2026-11-20T10:30:00Z'));
    expect(connectionDueInLogs(times, now, 240)).toBeUndefined();
  });
});
