import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { reportSynthesisErrors } from './report-synthesis-errors';
import { writeShippedTemplates } from './shipped-templates';

/**
 * `npm run lint:templates`: synthesises every template the project ships into
 * `cdk.out/lint-templates/` (git-ignored) and runs AWS's CloudFormation linter, `cfn-lint`, over them
 * with `.cfnlintrc.yaml`: the regions to check and the warnings kept, each with its reason. Any error,
 * and any warning not listed there, fails. Needs `cfn-lint` 1.x on the PATH (`pip install cfn-lint`).
 */
const root = path.resolve(__dirname, '..');
const CONFIG_FILE = path.join(root, '.cfnlintrc.yaml');
const INSTALL_HINT = 'install it with `pip install cfn-lint` (AWS CloudFormation Linter, version 1.x)';

function cfnLintVersion(): string {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    console.error(`lint:templates: cfn-lint was not found on the PATH; ${INSTALL_HINT}.`);
    process.exit(1);
  }
  return probe.stdout.trim();
}

reportSynthesisErrors(() => {
  const version = cfnLintVersion();
  const templates = writeShippedTemplates(path.join(root, 'cdk.out', 'lint-templates'));
  console.log(`${version}: checking ${templates.length} templates with ${path.relative(root, CONFIG_FILE)}`);
  for (const template of templates) console.log(`  ${path.relative(root, template)}`);
  // --non-zero-exit-code warning: errors and warnings fail, informational findings do not.
  const lint = spawnSync(
    'cfn-lint',
    ['--config-file', CONFIG_FILE, '--non-zero-exit-code', 'warning', '--', ...templates],
    { cwd: root, stdio: 'inherit' },
  );
  if (lint.status !== 0) {
    console.error(
      `lint:templates: cfn-lint reported problems (exit status ${String(lint.status)}); fix them, or keep a warning in .cfnlintrc.yaml with its reason.`,
    );
    process.exit(1);
  }
  console.log(
    'lint:templates: cfn-lint reported no error and no warning beyond those kept in .cfnlintrc.yaml.',
  );
});
