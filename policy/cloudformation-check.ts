import * as path from 'node:path';
import type { PolicyParameters } from './connection-logging-policy';
import { evaluateTemplatesWithGuard, type PolicyFinding } from './guard-evaluation';
import { readTemplateFile, readTemplateFiles, type TemplateFile } from './template-files';
import { inspectTemplate, type UnseenContent } from './template-visibility';

/**
 * The name under which unseen content is reported, beside the Guard rules: it is no Guard rule, since
 * what a transform, macro or remote template makes is not in the data Guard reads.
 */
export const UNSEEN_CONTENT_RULE = 'CLIENT_VPN_TEMPLATE_CONTENT_UNSEEN';

/** What a check of some templates (or, later, of another input kind) found. */
export interface TemplateCheckOutcome {
  /** How many templates were judged, nested ones included. */
  readonly templateCount: number;
  /** How many Client VPN endpoints they declare, each judged by every rule. */
  readonly endpointCount: number;
  /** The policy's findings, failures and warnings. */
  readonly findings: readonly PolicyFinding[];
  /** What the templates hide; any makes the check incomplete, never a pass. */
  readonly unseen: readonly UnseenContent[];
}

/** Templates with the nested ones they reach on this disk, and what they hide. */
export interface GatheredTemplates {
  /** Every template to judge, each once. */
  readonly templates: readonly TemplateFile[];
  /** The endpoints they declare. */
  readonly endpointCount: number;
  /** What they hide. */
  readonly unseen: readonly UnseenContent[];
}

/**
 * Adds to templates the nested-stack templates they reach on this disk (a CDK nested stack's asset, a
 * local TemplateURL), recursively and each once, and lists what none of them shows.
 *
 * @param roots - the templates given
 * @returns the templates to judge, their endpoint count and what they hide
 * @throws UnreadableTemplateError when a nested template cannot be read
 */
export function gatherTemplates(roots: readonly TemplateFile[]): GatheredTemplates {
  const byPath = new Map<string, TemplateFile>();
  const unseen: UnseenContent[] = [];
  let endpointCount = 0;
  const queue = [...roots];
  for (let template = queue.shift(); template !== undefined; template = queue.shift()) {
    if (byPath.has(template.path)) continue;
    byPath.set(template.path, template);
    const visibility = inspectTemplate(template.body, template.path, template.displayName);
    endpointCount += visibility.endpointCount;
    unseen.push(...visibility.unseen);
    for (const nested of visibility.nestedTemplates) {
      const displayName = path.join(
        path.dirname(template.displayName),
        path.relative(path.dirname(template.path), nested),
      );
      if (!byPath.has(nested)) queue.push(readTemplateFile(nested, displayName));
    }
  }
  return { templates: [...byPath.values()], endpointCount, unseen };
}

/**
 * Judges CloudFormation template files, cloud assemblies and folders of templates with the Guard
 * policy, nested templates included, and lists what they hide.
 *
 * @param inputs - files and directories as given
 * @param parameters - the rule parameters
 * @param guardBinary - the cfn-guard binary; the packaged one unless given
 * @returns what was judged and found
 * @throws UnreadableTemplateError, CfnGuardError, CfnGuardBinaryNotFoundError
 */
export function checkCloudFormationTemplates(
  inputs: readonly string[],
  parameters: PolicyParameters,
  guardBinary?: string,
): TemplateCheckOutcome {
  const gathered = gatherTemplates(readTemplateFiles(inputs));
  // Guard judges the very objects whose endpoints were counted, under the names they are reported by.
  const findings = evaluateTemplatesWithGuard({
    templates: gathered.templates.map((template) => ({ name: template.displayName, body: template.body })),
    parameters,
    guardBinary,
  });
  return {
    templateCount: gathered.templates.length,
    endpointCount: gathered.endpointCount,
    findings,
    unseen: gathered.unseen,
  };
}
