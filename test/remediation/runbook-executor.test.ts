import { DescribeClientVpnEndpointsCommand, ModifyClientVpnEndpointCommand } from '@aws-sdk/client-ec2';
import type { AutomationDocument, AutomationStep } from '../../remediation/runbook';
import { ClientVpnWorld } from './client-vpn-world';
import {
  InvalidAutomationParametersError,
  RunbookExecutor,
  UnsupportedRunbookFeatureError,
  type SelectorMissBehaviour,
} from '../../sandbox/runbook-executor';

const ENDPOINT_ID = 'cvpn-endpoint-0a1b2c3d4e5f67890';

const DESCRIPTION = '## What does this document do?\nTest.\n## Input Parameters\n## Output Parameters\n';

function describeEndpointStep(
  name: string,
  selector: string,
  extra: Partial<AutomationStep> = {},
): AutomationStep {
  return {
    name,
    action: 'aws:executeAwsApi',
    inputs: { Service: 'ec2', Api: 'DescribeClientVpnEndpoints', ClientVpnEndpointIds: ['{{ EndpointId }}'] },
    outputs: [{ Name: 'Value', Selector: selector, Type: 'String' }],
    ...extra,
  };
}

function recordStep(name: string, value: string): AutomationStep {
  return {
    name,
    action: 'aws:updateVariable',
    inputs: { Name: 'variable:Result', Value: value },
    isEnd: true,
  };
}

function runbook(
  steps: AutomationStep[],
  parameters: AutomationDocument['parameters'] = {},
): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: DESCRIPTION,
    parameters: {
      EndpointId: { type: 'String', default: ENDPOINT_ID, allowedPattern: '^cvpn-endpoint-[0-9a-f]{17}$' },
      ...parameters,
    },
    variables: {
      Result: { type: 'String', default: 'unset' },
      Count: { type: 'Integer', default: 0 },
    },
    mainSteps: steps,
  };
}

function branchOn(choice: Record<string, unknown>): AutomationStep[] {
  return [
    {
      name: 'Decide',
      action: 'aws:branch',
      inputs: { Choices: [{ NextStep: 'Yes', ...choice }], Default: 'No' },
    },
    recordStep('Yes', 'yes'),
    recordStep('No', 'no'),
  ];
}

describe('RunbookExecutor', () => {
  let world: ClientVpnWorld;
  let executor: RunbookExecutor;

  beforeEach(() => {
    world = new ClientVpnWorld().withEndpoint(ENDPOINT_ID, { enabled: false });
    executor = new RunbookExecutor({ clients: { ec2: world.ec2, logs: world.logs } });
  });

  afterEach(() => world.restore());

  describe('parameters', () => {
    const document = runbook(
      [describeEndpointStep('Describe', '$.ClientVpnEndpoints[0].ClientVpnEndpointId')],
      {
        Days: { type: 'Integer', default: 365, allowedValues: [30, 365] },
        Flag: { type: 'Boolean', default: false },
      },
    );

    it.each([
      [
        'fails its allowedPattern',
        { EndpointId: 'cvpn-endpoint-123' },
        /"EndpointId" .* does not match allowedPattern/,
      ],
      ['is not declared', { Region: 'us-east-1' }, /"Region" is not declared/],
      ['is not an Integer', { Days: '30 days' }, /"Days" must be an Integer/],
      ['is outside allowedValues', { Days: '31' }, /"Days" value 31 is not one of allowedValues/],
      ['is not a Boolean', { Flag: 'yes' }, /"Flag" must be a Boolean/],
    ])('refuses a parameter that %s before any call', async (_case, parameters, message) => {
      // Act
      const run = executor.run(document, parameters);

      // Assess
      await expect(run).rejects.toThrow(InvalidAutomationParametersError);
      await expect(run).rejects.toThrow(message);
      expect(world.calls).toEqual([]);
    });

    it('refuses a run without a required parameter', async () => {
      // Prepare
      const required = runbook([recordStep('Only', 'done')], {
        Name: { type: 'String', allowedPattern: '.+' },
      });

      // Act & Assess
      await expect(executor.run(required, {})).rejects.toThrow('Parameter "Name" is required');
    });

    it('types parameters: an Integer given as a string is a number in a whole reference', async () => {
      // Prepare
      const document = runbook(
        [
          {
            name: 'Set',
            action: 'aws:updateVariable',
            inputs: { Name: 'variable:Count', Value: '{{ Days }}' },
          },
        ],
        { Days: { type: 'Integer', default: 1 } },
      );

      // Act
      const result = await executor.run(document, { Days: '400' });

      // Assess
      expect(result.variables.Count).toBe(400);
    });

    it('interpolates references inside a longer string as text', async () => {
      // Prepare
      const document = runbook([
        recordStep('Set', 'endpoint {{ EndpointId }} has {{ variable:Count }} groups'),
      ]);

      // Act
      const result = await executor.run(document, {});

      // Assess
      expect(result.variables.Result).toBe(`endpoint ${ENDPOINT_ID} has 0 groups`);
    });
  });

  describe('unsupported runbooks', () => {
    it.each<[string, AutomationStep[], RegExp]>([
      ['an action', [{ name: 'Command', action: 'aws:runCommand', inputs: {} }], /action aws:runCommand/],
      [
        'a script runtime',
        [{ name: 'Script', action: 'aws:executeScript', inputs: { Runtime: 'python3.8' } }],
        /script Runtime python3\.8 is not implemented/,
      ],
      [
        'a JSONPath filter expression, which Automation does not document',
        [describeEndpointStep('Read', '$.ClientVpnEndpoints[?(@.Status)].ClientVpnEndpointId')],
        /outside the subset Automation documents/,
      ],
      [
        'a JSONPath wildcard',
        [describeEndpointStep('Read', '$.ClientVpnEndpoints[*].ClientVpnEndpointId')],
        /outside the subset Automation documents/,
      ],
      [
        'a branch operator',
        branchOn({ Variable: '{{ EndpointId }}', StringMatches: 'x' }),
        /operator StringMatches/,
      ],
      [
        'a step attribute',
        [{ ...recordStep('Retry', 'x'), maxAttempts: 3 } as unknown as AutomationStep],
        /attribute maxAttempts/,
      ],
    ])('throws on %s it does not implement, before any call', async (_case, steps, message) => {
      // Act
      const run = executor.run(runbook(steps), {});

      // Assess
      await expect(run).rejects.toThrow(UnsupportedRunbookFeatureError);
      await expect(run).rejects.toThrow(message);
      expect(world.calls).toEqual([]);
    });

    it('throws on a reference kind it does not implement', async () => {
      // Act & Assess
      await expect(executor.run(runbook([recordStep('Set', '{{ ssm:/team/region }}')]), {})).rejects.toThrow(
        UnsupportedRunbookFeatureError,
      );
    });

    it('resolves the system variables Automation documents', async () => {
      // Prepare
      const document = runbook([
        recordStep('Set', '{{ global:AWS_PARTITION }}:{{ global:REGION }}:{{ global:ACCOUNT_ID }}'),
      ]);
      const inAnotherRegion = new RunbookExecutor({
        clients: { ec2: world.ec2, logs: world.logs },
        globals: { 'global:REGION': 'eu-west-1' },
      });

      // Act
      const result = await inAnotherRegion.run(document, {});

      // Assess
      expect(result.variables.Result).toBe('aws:eu-west-1:123456789012');
    });
  });

  describe('aws:executeScript', () => {
    function scriptStep(script: string, outputs: AutomationStep['outputs'] = []): AutomationStep {
      return {
        name: 'Script',
        action: 'aws:executeScript',
        inputs: {
          Runtime: 'python3.11',
          Handler: 'handler',
          InputPayload: { EndpointId: '{{ EndpointId }}', Region: '{{ global:REGION }}' },
          Script: script,
        },
        outputs,
        isEnd: true,
      };
    }

    it('runs the handler in python3 and selects outputs from $.Payload', async () => {
      // Prepare
      const script = [
        'import boto3',
        'def handler(events, context):',
        '    ec2 = boto3.client("ec2")',
        '    found = ec2.describe_client_vpn_endpoints(ClientVpnEndpointIds=[events["EndpointId"]])',
        '    endpoint = found["ClientVpnEndpoints"][0]',
        '    return {"Enabled": endpoint["ConnectionLogOptions"]["Enabled"], "Region": events["Region"]}',
      ].join('\n');
      const document = runbook([
        scriptStep(script, [
          { Name: 'Enabled', Selector: '$.Payload.Enabled', Type: 'Boolean' },
          { Name: 'Region', Selector: '$.Payload.Region', Type: 'String' },
        ]),
      ]);

      // Act
      const result = await executor.run(document, {});

      // Assess
      expect(result.status).toBe('Success');
      expect(result.stepOutputs).toEqual({ 'Script.Enabled': false, 'Script.Region': 'us-east-1' });
      expect(result.scriptCalls).toEqual([
        { step: 'Script', service: 'ec2', api: 'DescribeClientVpnEndpoints' },
      ]);
      expect(world.ec2Mock).toHaveReceivedCommandWith(DescribeClientVpnEndpointsCommand, {
        ClientVpnEndpointIds: [ENDPOINT_ID],
      });
    });

    it.each([
      [
        'raises',
        'def handler(events, context):\n    raise ValueError("no such group")',
        /raised ValueError: no such group/,
      ],
      [
        'passes a parameter the service model does not have, which botocore refuses',
        'import boto3\ndef handler(events, context):\n    boto3.client("logs").describe_log_groups(logGroupNames=["/a"])',
        /raised ParamValidationError: [^]*Unknown parameter in input: "logGroupNames"/,
      ],
      [
        'gets an AWS error',
        'import boto3\ndef handler(events, context):\n    boto3.client("ec2").describe_client_vpn_endpoints(ClientVpnEndpointIds=["cvpn-endpoint-0fedcba9876543210"])',
        /raised ClientError: An error occurred \(InvalidClientVpnEndpointId\.NotFound\)/,
      ],
    ])('fails the step when the script %s', async (_case, script, message) => {
      // Act
      const result = await executor.run(runbook([scriptStep(script)]), {});

      // Assess
      expect(result.status).toBe('Failed');
      expect(result.failureMessage).toMatch(message);
    });

    it('throws when the script calls an API the world does not model', async () => {
      // Prepare
      const script =
        'import boto3\ndef handler(events, context):\n    return boto3.client("ec2").describe_vpcs()';

      // Act & Assess
      await expect(executor.run(runbook([scriptStep(script)]), {})).rejects.toThrow(
        /ec2\.DescribeVpcs is not modelled/,
      );
    });
  });

  describe('aws:branch', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['StringEquals', { Variable: '{{ EndpointId }}', StringEquals: ENDPOINT_ID }, 'yes'],
      ['StringEquals', { Variable: '{{ EndpointId }}', StringEquals: 'cvpn-endpoint-other' }, 'no'],
      ['StringEquals on an empty string', { Variable: '{{ Empty }}', StringEquals: '' }, 'yes'],
      [
        'EqualsIgnoreCase',
        { Variable: '{{ EndpointId }}', EqualsIgnoreCase: ENDPOINT_ID.toUpperCase() },
        'yes',
      ],
      ['StartsWith', { Variable: '{{ EndpointId }}', StartsWith: 'cvpn-' }, 'yes'],
      ['StartsWith', { Variable: '{{ Empty }}', StartsWith: 'arn:' }, 'no'],
      ['EndsWith', { Variable: '{{ EndpointId }}', EndsWith: '890' }, 'yes'],
      ['Contains', { Variable: '{{ EndpointId }}', Contains: 'endpoint' }, 'yes'],
      ['NumericEquals', { Variable: '{{ Days }}', NumericEquals: 30 }, 'yes'],
      ['NumericGreater', { Variable: '{{ Days }}', NumericGreater: 30 }, 'no'],
      ['NumericLesser', { Variable: '{{ Days }}', NumericLesser: '{{ Minimum }}' }, 'yes'],
      ['NumericLesser', { Variable: '{{ Minimum }}', NumericLesser: '{{ Days }}' }, 'no'],
      ['NumericGreaterOrEquals', { Variable: '{{ Days }}', NumericGreaterOrEquals: 30 }, 'yes'],
      ['NumericLesserOrEquals', { Variable: '{{ Days }}', NumericLesserOrEquals: 29 }, 'no'],
      ['BooleanEquals', { Variable: '{{ Flag }}', BooleanEquals: true }, 'yes'],
      ['BooleanEquals', { Variable: '{{ Flag }}', BooleanEquals: false }, 'no'],
      [
        'And',
        {
          And: [
            { Variable: '{{ Flag }}', BooleanEquals: true },
            { Variable: '{{ Days }}', NumericEquals: 31 },
          ],
        },
        'no',
      ],
      [
        'Or',
        {
          Or: [
            { Variable: '{{ Flag }}', BooleanEquals: false },
            { Variable: '{{ Days }}', NumericEquals: 30 },
          ],
        },
        'yes',
      ],
      ['Not', { Not: { Variable: '{{ Empty }}', StringEquals: '' } }, 'no'],
    ])('evaluates %s (%j) to the "%s" step', async (_operator, choice, expected) => {
      // Prepare
      const document = runbook(branchOn(choice), {
        Empty: { type: 'String', default: '', allowedPattern: '^$' },
        Days: { type: 'Integer', default: 30 },
        Minimum: { type: 'Integer', default: 365 },
        Flag: { type: 'Boolean', default: true },
      });

      // Act
      const result = await executor.run(document, {});

      // Assess
      expect(result.status).toBe('Success');
      expect(result.variables.Result).toBe(expected);
    });

    it('goes on to the next step when no choice holds and there is no Default', async () => {
      // Prepare
      const steps = branchOn({ Variable: '{{ EndpointId }}', StringEquals: 'other' });
      steps[0] = { ...steps[0], inputs: { Choices: steps[0].inputs.Choices } };

      // Act
      const result = await executor.run(runbook(steps), {});

      // Assess
      expect(result.variables.Result).toBe('yes');
    });
  });

  describe('aws:executeAwsApi outputs', () => {
    it('reads outputs through JSONPath, with the declared type', async () => {
      // Prepare
      const document = runbook([
        {
          name: 'Describe',
          action: 'aws:executeAwsApi',
          inputs: {
            Service: 'ec2',
            Api: 'DescribeClientVpnEndpoints',
            ClientVpnEndpointIds: ['{{ EndpointId }}'],
          },
          outputs: [
            {
              Name: 'Enabled',
              Selector: '$.ClientVpnEndpoints[0].ConnectionLogOptions.Enabled',
              Type: 'Boolean',
            },
            { Name: 'Port', Selector: '$.ClientVpnEndpoints[0].VpnPort', Type: 'Integer' },
            { Name: 'Dns', Selector: '$.ClientVpnEndpoints[0].DnsServers', Type: 'StringList' },
          ],
          isEnd: true,
        },
      ]);

      // Act
      const result = await executor.run(document, {});

      // Assess
      expect(world.ec2Mock).toHaveReceivedCommandWith(DescribeClientVpnEndpointsCommand, {
        ClientVpnEndpointIds: [ENDPOINT_ID],
      });
      expect(result.stepOutputs).toEqual({
        'Describe.Enabled': false,
        'Describe.Port': 443,
        'Describe.Dns': ['10.0.0.2'],
      });
    });

    it.each<[SelectorMissBehaviour, string, RegExp]>([
      ['output-absent', 'Use', /Step Use: output \{\{ Describe.Value \}\} is not available/],
      ['step-fails', 'Describe', /Step Describe: output Value selector .* matched nothing/],
    ])(
      'with selector misses as "%s", fails at step %s when a selector matches nothing',
      async (selectorMiss, failedStep, message) => {
        // Prepare
        const strict = new RunbookExecutor({ clients: { ec2: world.ec2 }, selectorMiss });
        const document = runbook([
          describeEndpointStep('Describe', '$.ClientVpnEndpoints[0].ConnectionLogOptions.CloudwatchLogGroup'),
          recordStep('Use', '{{ Describe.Value }}'),
        ]);

        // Act
        const result = await strict.run(document, {});

        // Assess
        expect(result.status).toBe('Failed');
        expect(result.selectorMisses).toEqual(['Describe.Value']);
        expect(result.steps.at(-1)).toMatchObject({ name: failedStep, status: 'Failed' });
        expect(result.failureMessage).toMatch(message);
      },
    );

    it('fails the step with the service error when the call fails', async () => {
      // Act
      const result = await executor.run(runbook([describeEndpointStep('Describe', '$')]), {
        EndpointId: 'cvpn-endpoint-00000000000000000',
      });

      // Assess
      expect(result.status).toBe('Failed');
      expect(result.failureMessage).toMatch(
        /ec2\.DescribeClientVpnEndpoints failed: InvalidClientVpnEndpointId\.NotFound/,
      );
    });
  });

  describe('onFailure and isCritical', () => {
    const assertLoggingOn = (extra: Partial<AutomationStep>): AutomationStep => ({
      name: 'AssertLoggingOn',
      action: 'aws:assertAwsResourceProperty',
      inputs: {
        Service: 'ec2',
        Api: 'DescribeClientVpnEndpoints',
        ClientVpnEndpointIds: ['{{ EndpointId }}'],
        PropertySelector: '$.ClientVpnEndpoints[0].ConnectionLogOptions.Enabled',
        DesiredValues: ['True'],
      },
      nextStep: 'On',
      ...extra,
    });

    it.each<[string, string, string, Partial<AutomationStep>]>([
      [
        'a non-critical step routed by onFailure',
        'Success',
        'off',
        { isCritical: false, onFailure: 'step:Off' },
      ],
      ['a critical step routed by onFailure', 'Failed', 'off', { onFailure: 'step:Off' }],
      ['a step that continues', 'Success', 'on', { onFailure: 'Continue' }],
      ['a step that aborts', 'Failed', 'unset', {}],
    ])('after a failure of %s, ends %s having recorded "%s"', async (_case, status, recorded, extra) => {
      // Prepare
      const document = runbook([assertLoggingOn(extra), recordStep('On', 'on'), recordStep('Off', 'off')]);

      // Act
      const result = await executor.run(document, {});

      // Assess
      expect(result.status).toBe(status);
      expect(result.variables.Result).toBe(recorded);
      expect(result.steps[0]).toMatchObject({
        status: 'Failed',
        failureMessage: expect.stringContaining("property value 'False' is not in the desired values"),
      });
    });
  });

  describe('aws:waitForAwsResourceProperty', () => {
    const waitForDescription = (description: string): AutomationStep => ({
      name: 'Wait',
      action: 'aws:waitForAwsResourceProperty',
      inputs: {
        Service: 'ec2',
        Api: 'DescribeClientVpnEndpoints',
        ClientVpnEndpointIds: ['{{ EndpointId }}'],
        PropertySelector: '$.ClientVpnEndpoints[0].Description',
        DesiredValues: [description],
      },
      isEnd: true,
    });

    it('reads the property again until it has a desired value', async () => {
      // Prepare
      world.modifyPropagationDescribes = 2;
      await world.ec2.send(
        new ModifyClientVpnEndpointCommand({ ClientVpnEndpointId: ENDPOINT_ID, Description: 'Renamed' }),
      );
      world.clearCalls();

      // Act
      const result = await executor.run(runbook([waitForDescription('Renamed')]), {});

      // Assess
      expect(result.status).toBe('Success');
      expect(world.calledApis().filter((api) => api === 'ec2:DescribeClientVpnEndpoints')).toHaveLength(3);
    });

    it('fails after its poll limit when the property never arrives', async () => {
      // Prepare
      const patient = new RunbookExecutor({ clients: { ec2: world.ec2 }, waitPollLimit: 4 });

      // Act
      const result = await patient.run(runbook([waitForDescription('Never')]), {});

      // Assess
      expect(result.status).toBe('Failed');
      expect(result.failureMessage).toMatch(/timed out after 4 reads/);
      expect(world.calls).toHaveLength(4);
    });
  });

  describe('aws:updateVariable', () => {
    it('fails the step when the value does not match the variable type', async () => {
      // Prepare
      const document = runbook([
        { name: 'Set', action: 'aws:updateVariable', inputs: { Name: 'variable:Count', Value: 'many' } },
      ]);

      // Act
      const result = await executor.run(document, {});

      // Assess
      expect(result.status).toBe('Failed');
      expect(result.failureMessage).toMatch(/does not match variable type Integer/);
    });
  });
});
