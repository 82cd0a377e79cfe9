// The control for the packaging test: the example app plus one unacknowledged IAM wildcard. Synthesis
// must fail on that finding alone, which shows cdk-nag checks the installed construct's resources.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConnectionLoggingEnforcement, readDeploymentSettings } from 'client-vpn-connection-logging';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const settings = readDeploymentSettings(app.node);
const network = new Stack(app, 'NetworkStack');
new ConnectionLoggingEnforcement(network, 'ClientVpnConnectionLogging', {
  rule: settings.rule,
  remediation: settings.remediation,
});
const planted = new iam.Role(network, 'PlantedRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
});
planted.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: ['*'] }));

app.synth();
