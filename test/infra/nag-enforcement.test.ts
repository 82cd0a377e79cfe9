import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';

describe('cdk-nag enforcement', () => {
  it('fails synthesis on a finding that is neither fixed nor acknowledged', () => {
    // Prepare: the same plugin set-up as infra/app.ts, and one unjustified wildcard.
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'cdk-nag-')) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const role = new iam.Role(new Stack(app, 'Bad'), 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: ['*'] }));
    // Act / Assess
    expect(() => app.synth()).toThrow('AwsSolutions-IAM5[Resource::*]');
  });
});
