// An existing CDK app that adds the detective rule and its remediation from the installed package.
// The example of docs/deployment.md; test/package/package.test.ts installs the packed tarball and synthesises it.
import { App, Stack, Validations } from 'aws-cdk-lib';
import {
  ConnectionLoggingPolicyValidationPlugin,
  ConnectionLoggingEnforcement,
  readDeploymentSettings,
} from 'client-vpn-connection-logging';

const app = new App();

// The rule's parameters and the remediation's inputs, from this app's CDK context (cdk.json or
// `-c key=value`), with the package's defaults and validation: `-c minRetentionDays=365`, for example.
const settings = readDeploymentSettings(app.node);

// The preventive control: synthesis fails on any CfnClientVpnEndpoint of this app that would not log,
// judged with the same parameters as the detective rule below.
Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin({ parameters: settings.rule }));

// Any existing stack of the app; the construct needs the account and region only at deployment.
const network = new Stack(app, 'NetworkStack');

new ConnectionLoggingEnforcement(network, 'ClientVpnConnectionLogging', {
  rule: settings.rule,
  remediation: settings.remediation,
});

app.synth();
