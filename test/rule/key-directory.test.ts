import './quiet-environment';
import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { lookUpKeys } from '../../rule/key-directory';
import { KEY_ARN, describeKeyAnswer } from '../../sandbox/config-rule-events';

const kms = mockClient(KMSClient);
const OTHER_KEY = 'arn:aws:kms:us-east-1:123456789012:key/0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

beforeEach(() => kms.reset());

describe('lookUpKeys', () => {
  it('reads each distinct key once, however many groups use it', async () => {
    // Prepare
    kms.on(DescribeKeyCommand, { KeyId: KEY_ARN }).resolves(describeKeyAnswer('Enabled'));
    kms.on(DescribeKeyCommand, { KeyId: OTHER_KEY }).resolves(describeKeyAnswer('Disabled'));

    // Act
    const keys = await lookUpKeys(new KMSClient({}), [KEY_ARN, OTHER_KEY, KEY_ARN, KEY_ARN]);

    // Assess
    expect(kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 2);
    expect(keys.get(KEY_ARN)).toEqual({ status: 'found', keyId: KEY_ARN, keyState: 'Enabled' });
    expect(keys.get(OTHER_KEY)).toEqual({ status: 'found', keyId: OTHER_KEY, keyState: 'Disabled' });
  });

  it('keeps the deletion date of a key pending deletion', async () => {
    // Prepare
    const deletionDate = new Date('2026-12-07T10:00:00Z');
    kms.on(DescribeKeyCommand).resolves(describeKeyAnswer('PendingDeletion', deletionDate));

    // Act
    const keys = await lookUpKeys(new KMSClient({}), [KEY_ARN]);

    // Assess
    expect(keys.get(KEY_ARN)).toEqual({
      status: 'found',
      keyId: KEY_ARN,
      keyState: 'PendingDeletion',
      deletionDate,
    });
  });

  it.each([
    [
      'AccessDeniedException',
      Object.assign(new Error('not authorized to perform: kms:DescribeKey'), {
        name: 'AccessDeniedException',
      }),
    ],
    ['NotFoundException', new NotFoundException({ message: 'Key does not exist', $metadata: {} })],
  ])('reports a key it may not read or that is gone (%s) as unreadable', async (errorCode, error) => {
    // Prepare
    kms.on(DescribeKeyCommand).rejects(error);

    // Act
    const keys = await lookUpKeys(new KMSClient({}), [KEY_ARN]);

    // Assess
    expect(keys.get(KEY_ARN)).toEqual({ status: 'unreadable', keyId: KEY_ARN, errorCode });
  });

  it('lets any other failure through rather than judge on a guess', async () => {
    // Prepare
    kms
      .on(DescribeKeyCommand)
      .rejects(Object.assign(new Error('KMS is down'), { name: 'KMSInternalException' }));

    // Act / Assess
    await expect(lookUpKeys(new KMSClient({}), [KEY_ARN])).rejects.toThrow('KMS is down');
  });
});
