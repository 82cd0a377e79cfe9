import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { buildApp, STACK_NAMES } from '../../infra/app';
import { readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';
import { cfnGuardBinaryPath } from '../../policy/cfn-guard-binary';
import { documentedCommands, type DocumentedCommand } from './documented-commands';
import { knownPackages, unknownPackageFetch } from './package-fetches';

// Every command a page shows is checked here, or is one that `.ci/run` runs, so none goes stale. A command
// of a kind this file does not know fails the test: a new kind of command needs a new check.
const ROOT = join(__dirname, '..', '..');
const COMMANDS = documentedCommands(ROOT);
const CI_SCRIPT = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
const SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

const describeCommand = (command: DocumentedCommand): string => `${command.page}: ${command.argv.join(' ')}`;
const kindOf = (command: DocumentedCommand): string => {
  const [program, sub] = command.argv;
  if (program === 'npm' && (sub === 'ci' || sub === 'test')) return `npm ${sub}`;
  if (program === 'npm' && sub === 'run' && command.argv[2] === '-s') return `npm run -s ${command.argv[3]}`;
  if (program === 'npm' && sub === 'run') return `npm run ${command.argv[2]}`;
  if (program === 'npx')
    return `npx ${command.argv.find((word, index) => index > 0 && !word.startsWith('-'))}`;
  if (program === 'npm' && (sub === 'install' || sub === 'pack')) return `npm ${sub}`;
  return program;
};

/** The `-c key=value` pairs of a CDK-style command line. */
function contextOf(argv: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  argv.forEach((word, index) => {
    if (word !== '-c' && word !== '--context') return;
    const [key, ...value] = (argv[index + 1] ?? '').split('=');
    context[key] = value.join('=');
  });
  return context;
}

/** The words that are neither options nor option values, after the first `skip` words. */
function positionals(argv: readonly string[], skip: number, valued: readonly string[]): string[] {
  const words: string[] = [];
  for (let index = skip; index < argv.length; index++) {
    if (valued.includes(argv[index])) index++;
    else if (!argv[index].startsWith('-')) words.push(argv[index]);
  }
  return words;
}

/** The commands of the given kinds, each with its words as a test title. */
const byKind = (kinds: readonly string[]): (DocumentedCommand & { readonly title: string })[] =>
  COMMANDS.filter((command) => kinds.includes(kindOf(command))).map((command) => ({
    ...command,
    title: `${command.page}: ${command.argv.join(' ')}`,
  }));

describe('the commands shown in the README and docs/', () => {
  it('finds the commands of every page', () => {
    // Prepare / Act: done at load. Assess: the README's own set-up commands are among them.
    expect(COMMANDS.filter((c) => c.page === 'README.md').map((c) => c.argv.join(' '))).toEqual(
      expect.arrayContaining(['npm ci', 'npm run synth', 'npm test']),
    );
  });

  it('knows how to check every command shown', () => {
    // The kinds that a check below (or .ci/run) covers. `client-vpn-logging` commands run in
    // documented-cli-commands.test.ts; through npm only with `-s`, since npm's banner would otherwise spoil
    // the findings on stdout. `npm run policy:write` rewrites the committed policy files, which
    // test/policy checks equal what it writes. `terraform` and `cfn-guard` commands are checked below.
    const known = [
      'npm ci',
      'npm test',
      'npm run synth',
      'npm run lint:templates',
      'npm run bench',
      'npm run test:core',
      'npm run policy:write',
      'npm run -s audit',
      'npm run -s check-template',
      'npm pack',
      'npm install',
      'npx cdk',
      'npx client-vpn-logging',
      'aws',
      'terraform',
      'cfn-guard',
    ];
    const unknown = COMMANDS.filter((command) => !known.includes(kindOf(command))).map(describeCommand);
    expect(unknown).toEqual([]);
  });

  describe('fetching packages', () => {
    const known = knownPackages(ROOT);

    it.each(COMMANDS.map((command) => ({ ...command, title: describeCommand(command) })))(
      'fetches no unknown package: $title',
      (command) => {
        expect(unknownPackageFetch(command.argv, known)).toBeUndefined();
      },
    );

    // `npm pack` is run by test/package/package.test.ts, which installs and uses what it writes.
    it.each(byKind(['npm pack']))('packs with no argument: "$title"', (command) => {
      expect(command.argv).toEqual(['npm', 'pack']);
    });
  });

  it.each(
    COMMANDS.filter((c) => c.argv[0] === 'npm' && c.argv[1] === 'run').map((c) => [
      c.argv[2] === '-s' ? c.argv[3] : c.argv[2],
      c.page,
    ]),
  )('names a script of package.json: npm run %s (%s)', (script) => {
    expect(Object.keys(SCRIPTS)).toContain(script);
  });

  it.each(
    byKind(['npm ci', 'npm test', 'npm run synth', 'npm run lint:templates']).filter(
      (c) => c.argv.length <= 3,
    ),
  )('runs "$title" in .ci/run', (command) => {
    expect(CI_SCRIPT).toMatch(new RegExp(`^${command.argv.join(' ')}$`, 'm'));
  });

  it.each(byKind(['npm run synth', 'npx cdk']).filter((c) => Object.keys(contextOf(c.argv)).length > 0))(
    'accepts the context options of "$title"',
    (command) => {
      const app = new App({ context: contextOf(command.argv) });
      expect(() => readDeploymentSettings(app.node)).not.toThrow();
    },
  );

  describe('npx cdk', () => {
    const cdkCommands = byKind(['npx cdk']);
    const stackNames: readonly string[] = Object.values(STACK_NAMES);

    it.each(cdkCommands)('names a CDK command and stacks of this app in "$title"', (command) => {
      const [, , sub] = command.argv;
      expect(['bootstrap', 'deploy', 'destroy', 'diff', 'synth', 'ls']).toContain(sub);
      const targets = positionals(command.argv, 3, ['-c', '--context', '--parameters', '--app']);
      if (sub === 'bootstrap')
        targets.forEach((target) => expect(target).toMatch(/^aws:\/\/[^/]+\/[a-z0-9-]+$/));
      else targets.forEach((target) => expect(stackNames).toContain(target));
    });

    const withParameters = cdkCommands.filter((command) => command.argv.includes('--parameters'));
    if (withParameters.length > 0) {
      it.each(withParameters)('passes only parameters the stack declares in "$title"', (command) => {
        const [stackName] = positionals(command.argv, 3, ['-c', '--context', '--parameters', '--app']);
        const app = buildApp({ context: contextOf(command.argv) });
        const stack = app.node.findChild(stackName) as import('aws-cdk-lib').Stack;
        const declared = Object.keys(Template.fromStack(stack).toJSON().Parameters ?? {});
        command.argv.forEach((word, index) => {
          if (word === '--parameters') expect(declared).toContain(command.argv[index + 1].split('=')[0]);
        });
      });
    }
  });

  it('shows only AWS CLI commands, options and required options that AWS CLI models define', () => {
    const commands = byKind(['aws']);
    const verdicts: (string | null)[] = JSON.parse(
      execFileSync('python3', [join(__dirname, 'aws_cli_command_check.py')], {
        input: JSON.stringify(commands.map((command) => command.argv)),
        encoding: 'utf8',
      }),
    );
    const problems = verdicts.flatMap((verdict, index) =>
      verdict === null ? [] : [`${commands[index].page}: ${verdict}`],
    );
    expect(commands.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  // Terraform is not installed here: its commands are held to the subcommands and flags the pipeline uses.
  it.each(byKind(['terraform']))('shows only the plan-to-JSON steps in "$title"', (command) => {
    const [, sub, ...rest] = command.argv;
    const flags: Readonly<Record<string, readonly string[]>> = {
      plan: ['-out=plan.out', '-input=false'],
      show: ['-json'],
    };
    expect(Object.keys(flags)).toContain(sub);
    rest.filter((word) => word.startsWith('-')).forEach((flag) => expect(flags[sub]).toContain(flag));
    if (sub === 'show') expect(rest).toEqual(['-json', 'plan.out']);
  });

  it.each(byKind(['cfn-guard']))('runs "$title" on the real cfn-guard and a plan', (command) => {
    // Prepare: the page's plan.json is a compliant plan fixture; the rules file is the repository's.
    const args = command.argv
      .slice(1)
      .map((word) =>
        word === 'plan.json'
          ? join(ROOT, 'test', 'fixtures', 'terraform', 'provider-6-root-compliant.json')
          : word,
      )
      .map((word) => (word.startsWith('policy/') ? join(ROOT, word) : word));
    // Act
    const run = spawnSync(cfnGuardBinaryPath(), args, { encoding: 'utf8' });
    // Assess
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it.each(byKind(['npm run bench']))('passes only options the benchmark reads in "$title"', (command) => {
    const source = readFileSync(join(ROOT, 'bench', 'run.ts'), 'utf8');
    command.argv
      .filter((word) => word.startsWith('--') && word !== '--')
      .forEach((flag) => expect(source).toContain(`'${flag}'`));
  });
});
