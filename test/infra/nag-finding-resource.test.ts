import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import { nagFindingResource, UnsupportedNagResourceError } from '../../infra/constructs/nag-finding-resource';

describe('nagFindingResource', () => {
  it.each([
    [
      'an environment-agnostic stack',
      undefined,
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*',
    ],
    [
      'a stack with a concrete environment',
      { account: '111111111111', region: 'eu-west-1' },
      'arn:<AWS::Partition>:logs:eu-west-1:111111111111:log-group:*',
    ],
  ])('writes a resource the way cdk-nag names it in %s', (_case, env, expected) => {
    // Prepare
    const stack = new Stack(new App(), 'Stack', { env });
    // Act
    const resource = nagFindingResource(
      stack,
      `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
    );
    // Assess
    expect(resource).toBe(expected);
  });

  it('keeps a literal resource as it is', () => {
    expect(nagFindingResource(new Stack(new App(), 'Stack'), '*')).toBe('*');
  });

  it('refuses a resource it cannot predict the finding for, naming it', () => {
    const stack = new Stack(new App(), 'Stack');
    const selected = Fn.select(0, Fn.split(':', Aws.STACK_ID));
    expect(() => nagFindingResource(stack, selected)).toThrow(UnsupportedNagResourceError);
    expect(() => nagFindingResource(stack, selected)).toThrow('Fn::Select');
  });
});
