import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp, synthesisRegion } from './app';
import { InvalidContextError } from './stacks/deployment-settings-context';
import { reportSynthesisErrors } from './report-synthesis-errors';
import { synthesizeConformancePack } from './shipped-templates';
import {
  REMEDIATION_CONFIGURATION_TYPE,
  regionHasResourceType,
} from './constructs/cloudformation-resource-availability';

/**
 * `npm run synth`: synthesises every stack into `cdk.out/` offline (no AWS account, no Docker, no CDK CLI)
 * and writes `dist/conformance-pack.yaml`. Takes `-c key=value` like the CDK CLI.
 */
const root = path.resolve(__dirname, '..');

function contextFromArguments(args: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let index = 0; index < args.length; index++) {
    if (args[index] !== '-c' && args[index] !== '--context') continue;
    const pair = args[++index] ?? '';
    const separator = pair.indexOf('=');
    if (separator < 1) throw new InvalidContextError(pair, 'expected -c key=value');
    context[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return context;
}

reportSynthesisErrors(() => {
  const context = contextFromArguments(process.argv.slice(2));
  const assembly = buildApp({ outdir: path.join(root, 'cdk.out'), context }).synth();
  for (const stack of assembly.stacks)
    console.log(`synthesised ${stack.stackName} -> cdk.out/${stack.templateFile}`);

  const region = synthesisRegion();
  const body = synthesizeConformancePack(context, path.join(root, 'cdk.out', 'conformance-pack'), region);
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'conformance-pack.yaml'), body);
  console.log(`wrote dist/conformance-pack.yaml (${Buffer.byteLength(body)} bytes)`);
  if (region !== undefined && regionHasResourceType(region, REMEDIATION_CONFIGURATION_TYPE) === false)
    console.warn(
      `dist/conformance-pack.yaml is for ${region}, where CloudFormation has no ${REMEDIATION_CONFIGURATION_TYPE}: it has the rule without remediation (docs/deployment.md#regions).`,
    );
});
