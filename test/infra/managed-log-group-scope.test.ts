import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app';

// The log-group actions that change something, or that Client VPN checks when it starts delivering.
const WRITES = [
  'logs:CreateLogGroup',
  'logs:PutRetentionPolicy',
  'logs:AssociateKmsKey',
  'logs:CreateLogStream',
  'logs:DescribeLogStreams',
];

interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every IAM statement of every stack the app synthesises, with the stack's name. */
function statementsOf(context: Record<string, string>): [string, Statement][] {
  const app = buildApp({ outdir: mkdtempSync(path.join(tmpdir(), 'cdk-scope-')), context });
  const stacks = app.node.children.filter((child): child is Stack => child instanceof Stack);
  return stacks.flatMap((stack) =>
    Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).map((s): [string, Statement] => [
        stack.stackName,
        s,
      ]),
    ),
  );
}

describe('every synthesised template', () => {
  it.each([
    ['the default managed prefix, with no rule prefix', {}, '/aws/clientvpn*'],
    [
      "the rule's logGroupNamePrefix",
      { logGroupNamePrefix: '/security/clientvpn/', remediationLogGroupName: '/security/clientvpn/all' },
      '/security/clientvpn/*',
    ],
  ])(
    'lets the automation role write only to log groups inside %s',
    (_case, context, scope) => {
      // Act
      const statements = statementsOf(context);

      // Assess
      // The rule functions' statements for their own events (their own group, by reference, with
      // logs:PutLogEvents) are not the runbook's; nor are the rule's read-only look-ups
      // (grantRuleEvaluation: logs:DescribeLogStreams for verifyDelivery, on any group an endpoint may
      // name), granted to roles that never call ec2:ModifyClientVpnEndpoint.
      const ruleLookUp = (s: Statement): boolean =>
        s.Sid === 'DescribeLogGroups' &&
        JSON.stringify([s.Action].flat().sort()) ===
          JSON.stringify(['logs:DescribeLogGroups', 'logs:DescribeLogStreams']);
      const writes = statements.filter(
        ([, s]) =>
          [s.Action].flat().some((action) => WRITES.includes(action)) &&
          ![s.Action].flat().includes('logs:PutLogEvents') &&
          !ruleLookUp(s),
      );
      const stacksWithRunbook = new Set(writes.map(([stack]) => stack));
      expect([...stacksWithRunbook].sort()).toEqual([
        'ClientVpnConnectionLogging',
        'ClientVpnConnectionLoggingMember',
      ]);
      for (const [, statement] of writes) {
        const resource = JSON.stringify(statement.Resource);
        expect(resource.endsWith(`:log-group:${scope}"]]}`) ? scope : resource).toBe(scope);
      }
      expect(writes.filter(([, s]) => [s.Action].flat().includes('logs:CreateLogGroup'))).toHaveLength(2);
    },
    240_000,
  );
});
