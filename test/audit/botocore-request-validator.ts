/**
 * Validates a request against botocore's service model, the independent reference for API shapes:
 * botocore's own ParamValidator (required members, types, minimum lengths and values), plus the
 * enums, maximum lengths and patterns it leaves to the service, walked from the same model.
 */
import { execFileSync } from 'node:child_process';

const VALIDATOR = String.raw`
import json, re, sys
import botocore.session
from botocore.validate import ParamValidator

service, operation = sys.argv[1], sys.argv[2]
params = json.load(sys.stdin)
model = botocore.session.get_session().get_service_model(service)
shape = model.operation_model(operation).input_shape
problems = []
report = ParamValidator().validate(params, shape)
if report.has_errors():
    problems.append(report.generate_report())

def walk(value, shape, path):
    if shape.type_name == 'structure' and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                walk(value[name], member, path + '.' + name)
    elif shape.type_name == 'list' and isinstance(value, list):
        if 'max' in shape.metadata and len(value) > shape.metadata['max']:
            problems.append('%s: more than %d items' % (path, shape.metadata['max']))
        for i, item in enumerate(value):
            walk(item, shape.member, '%s[%d]' % (path, i))
    elif shape.type_name == 'map' and isinstance(value, dict):
        for key, item in value.items():
            walk(key, shape.key, path + ' key')
            walk(item, shape.value, path + '.' + key)
    elif shape.type_name == 'string' and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            problems.append('%s: %r is not one of %s' % (path, value, shape.enum))
        if 'max' in shape.metadata and len(value) > shape.metadata['max']:
            problems.append('%s: longer than %d' % (path, shape.metadata['max']))
        if 'pattern' in shape.metadata and not re.search(shape.metadata['pattern'], value):
            problems.append('%s: %r does not match %s' % (path, value, shape.metadata['pattern']))

walk(params, shape, operation)
print(json.dumps(problems))
`;

/**
 * Validates `params` as the input of `service`'s `operation`.
 *
 * @param service - botocore's service name, e.g. `securityhub`
 * @param operation - the operation, e.g. `BatchImportFindings`
 * @param params - the request parameters, as JSON
 * @returns every problem found; empty when the request is valid
 */
export function botocoreRequestProblems(service: string, operation: string, params: unknown): string[] {
  const output = execFileSync('python3', ['-c', VALIDATOR, service, operation], {
    input: JSON.stringify(params),
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}
