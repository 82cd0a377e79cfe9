import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { AuditError } from '../../audit/audit-error';
import { ConstructConfigurationError } from '../../infra/constructs/construct-configuration-error';
import { StackConfigurationError } from '../../infra/stacks/stack-configuration-error';
import { InsightsError } from '../../insights/insights-error';
import { PolicyError } from '../../policy/policy-error';
import { RemediationError } from '../../remediation/remediation-error';
import { RuleError } from '../../rule/errors';

const ROOT = join(__dirname, '..', '..');

// Scripts that do their work when loaded (they write files): not modules to enumerate.
const SCRIPTS = new Set(['policy/write-policy-files.ts']);

type ErrorClass = abstract new (...args: never[]) => Error;

function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'function' && value.prototype instanceof Error;
}

/** Every error class a module of `folder` exports, by `<file>: <export name>`. */
async function exportedErrorClasses(folder: string): Promise<Map<string, ErrorClass>> {
  const classes = new Map<string, ErrorClass>();
  const modules = readdirSync(join(ROOT, folder))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => `${folder}/${file}`)
    .filter((file) => !SCRIPTS.has(file));
  for (const file of modules) {
    const exports = (await import(join(ROOT, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (isErrorClass(value)) classes.set(`${file}: ${name}`, value);
    }
  }
  return classes;
}

describe('the error roots, one per area', () => {
  it.each([
    ['rule', RuleError, 'MalformedEventError'],
    ['audit', AuditError, 'AuditOptionError'],
    ['policy', PolicyError, 'MalformedTerraformPlanError'],
    ['remediation', RemediationError, 'RunbookFormatError'],
    ['insights', InsightsError, 'QueryFailedError'],
    ['infra/constructs', ConstructConfigurationError, 'ForeignKmsKeyError'],
    ['infra/stacks', StackConfigurationError, 'InvalidContextError'],
  ] as const)(
    'roots every error class %s/ exports in its base, each named …Error',
    async (folder, base, known) => {
      // Act
      const classes = await exportedErrorClasses(folder);

      // Assess
      const names = [...classes.keys()];
      expect(names.some((name) => name.endsWith(`: ${known}`))).toBe(true);
      expect(names.filter((name) => !name.endsWith('Error'))).toEqual([]);
      const unrooted = [...classes]
        .filter(([, errorClass]) => errorClass !== base && !(errorClass.prototype instanceof base))
        .map(([name]) => name);
      expect(unrooted).toEqual([]);
    },
  );
});
