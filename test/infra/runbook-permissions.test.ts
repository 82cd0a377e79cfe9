import { loadRunbook } from '../../remediation/runbook';
import {
  actionScope,
  actionsByScope,
  runbookActions,
  UnscopedRunbookActionError,
} from '../../infra/constructs/runbook-permissions';

describe('runbookActions', () => {
  it("derives service:Api from every API-calling step and adds the description's extra permissions", () => {
    // Act
    const actions = runbookActions(loadRunbook());
    // Assess
    expect(actions).toEqual([
      'ec2:DescribeClientVpnEndpoints',
      'ec2:ModifyClientVpnEndpoint',
      'logs:AssociateKmsKey',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutRetentionPolicy',
    ]);
  });
});

describe('actionScope', () => {
  it.each([
    ['ec2:DescribeClientVpnEndpoints', 'any'],
    ['ec2:ModifyClientVpnEndpoint', 'client-vpn-endpoint'],
    ['logs:CreateLogGroup', 'log-group'],
  ])('scopes %s to %s', (action, scope) => {
    expect(actionScope(action)).toBe(scope);
  });

  it('refuses an action it has no reviewed scope for, naming it', () => {
    expect(() => actionScope('ec2:DeleteClientVpnEndpoint')).toThrow(UnscopedRunbookActionError);
    expect(() => actionsByScope(['logs:DeleteLogGroup'])).toThrow('"logs:DeleteLogGroup"');
  });
});
