import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { callerIdentity } from '../../audit/account-access';

const sts = mockClient(STSClient);
const ACCESS = { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'example' } };

describe('callerIdentity', () => {
  beforeEach(() => sts.reset());

  it.each([
    ['aws', 'arn:aws:sts::123456789012:assumed-role/Auditor/session'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::123456789012:user/auditor'],
    ['aws-cn', 'arn:aws-cn:iam::123456789012:root'],
  ])('reads the partition %s from the caller ARN %s', async (partition, arn) => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: arn });
    // Act
    const identity = await callerIdentity('us-east-1', ACCESS);
    // Assess
    expect(identity).toEqual({ accountId: '123456789012', partition });
  });

  it('takes the aws partition when STS names no ARN', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    await expect(callerIdentity('us-east-1', ACCESS)).resolves.toEqual({
      accountId: '123456789012',
      partition: 'aws',
    });
  });

  it.each([
    ['no ARN at all', 'not-an-arn'],
    ['too few parts', 'arn:aws:sts::123456789012'],
    ['an empty partition', 'arn::sts::123456789012:assumed-role/Auditor/session'],
    ['a partition that is not AWS', 'arn:other:sts::123456789012:assumed-role/Auditor/session'],
  ])('refuses a caller ARN with %s', async (_case, arn) => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: arn });
    await expect(callerIdentity('us-east-1', ACCESS)).rejects.toThrow(
      'sts:GetCallerIdentity answered with an Arn that is not an ARN of an AWS partition',
    );
  });
});
