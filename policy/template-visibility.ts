import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Something in a template that CloudFormation expands or fetches at deployment, so the policy cannot
 * see the resources it makes: a check that judged only the visible rest would pass what it never read.
 */
export interface UnseenContent {
  /** The template, as reported. */
  readonly template: string;
  /** Where in the template, e.g. `Transform` or `Resources/Shared`. */
  readonly location: string;
  /** What it is and why it cannot be judged. */
  readonly reason: string;
  /** How to judge what it makes instead. */
  readonly check: string;
}

/** What a template shows and hides. */
export interface TemplateVisibility {
  /** The `AWS::EC2::ClientVpnEndpoint` resources declared as such (not generated). */
  readonly endpointCount: number;
  /** The nested-stack templates found on disk, absolute paths, to judge as well. */
  readonly nestedTemplates: readonly string[];
  /** What the template hides. */
  readonly unseen: readonly UnseenContent[];
}

const ENDPOINT_TYPE = 'AWS::EC2::ClientVpnEndpoint';
// AWS::LanguageExtensions is the only transform whose resource-making part (Fn::ForEach) is judged
// here; every other transform or macro may add or rewrite any resource.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-languageextensions.html
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
const FOR_EACH = /^Fn::ForEach::/;
// The processed template is what CloudFormation runs: after transforms and macros, before nesting.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
const PROCESSED =
  'the processed template, saved to a file and given to check-template: aws cloudformation get-template --stack-name STACK (or --change-set-name CHANGE_SET) --template-stage Processed --query TemplateBody';
// A CDK nested stack's template is a file asset of the cloud assembly, named in the resource's metadata.
const CDK_ASSET_PATH = 'aws:asset:path';
const REMOTE_URL = /^(https?|s3):\/\//i;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function transformNames(transform: unknown): string[] {
  const entries = Array.isArray(transform) ? transform : transform === undefined ? [] : [transform];
  return entries.map((entry) =>
    typeof entry === 'string' ? entry : isObject(entry) ? String(entry.Name) : JSON.stringify(entry),
  );
}

// Every `Fn::Transform` under a node, with its path: a macro (AWS::Include among them) that replaces
// its siblings with whatever the macro returns.
function transformCalls(node: unknown, at: string, found: { at: string; name: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => transformCalls(item, `${at}/${index}`, found));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Fn::Transform') {
      found.push({ at, name: isObject(value) ? String(value.Name) : JSON.stringify(value) });
    } else transformCalls(value, `${at}/${key}`, found);
  }
}

// The resource types a Fn::ForEach body (its third element) declares, loops nested in it included.
function loopTypes(loop: unknown): string[] {
  const body: unknown = Array.isArray(loop) ? loop[2] : undefined;
  if (!isObject(body)) return [];
  return Object.entries(body).flatMap(([key, value]) =>
    FOR_EACH.test(key)
      ? loopTypes(value)
      : isObject(value) && typeof value.Type === 'string'
        ? [value.Type]
        : [],
  );
}

const NESTED_STACK = 'AWS::CloudFormation::Stack';

/** A resource type whose resources come from a template kept elsewhere, or expand at deployment. */
interface TemplateElsewhere {
  /** Whether a resource type is of this kind. */
  readonly matches: (type: string) => boolean;
  /** What it is, for the UNSEEN line. */
  readonly reason: (type: string) => string;
  /** How to judge what it makes. */
  readonly check: string;
}

// The one list of such types. A nested stack is among them, but is judged with its template when that
// is on this disk (nestedTemplatePath).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-servicecatalog-cloudformationprovisionedproduct.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-servicecatalog-cloudformationproduct.html
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-application.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/modules.html
const TEMPLATES_ELSEWHERE: readonly TemplateElsewhere[] = [
  {
    matches: (type) => type === NESTED_STACK,
    reason: () => `an ${NESTED_STACK} whose template is not on this disk (a remote TemplateURL)`,
    check: `the nested stack's template file with check-template, or ${PROCESSED.replace('STACK', 'NESTED_STACK')}`,
  },
  {
    matches: (type) => type === 'AWS::CloudFormation::StackSet',
    reason: (type) => `an ${type}, which deploys another template to other accounts and regions`,
    check: "the stack set's template file (its TemplateBody or TemplateURL) with check-template",
  },
  {
    matches: (type) => type === 'AWS::ServiceCatalog::CloudFormationProvisionedProduct',
    reason: (type) => `an ${type}, which launches a Service Catalog product's template`,
    check:
      "the template file of the product's provisioning artifact (aws servicecatalog describe-provisioning-artifact --verbose gives its URL) with check-template",
  },
  {
    matches: (type) => type === 'AWS::ServiceCatalog::CloudFormationProduct',
    reason: (type) => `an ${type}, whose provisioning artifacts are templates launched later`,
    check:
      'the template file of each provisioning artifact (its Info LoadTemplateFromURL) with check-template',
  },
  {
    matches: (type) => type === 'AWS::Serverless::Application',
    reason: (type) =>
      `an ${type}, a nested application whose template is in the Serverless Application Repository or at its Location`,
    check: PROCESSED,
  },
  {
    matches: (type) => type.endsWith('::MODULE'),
    reason: (type) => `a CloudFormation module (${type}), which expands into resources at deployment`,
    check: PROCESSED,
  },
];

function templateElsewhere(type: unknown): TemplateElsewhere | undefined {
  return typeof type === 'string' ? TEMPLATES_ELSEWHERE.find((kind) => kind.matches(type)) : undefined;
}

// CDK names a nested stack's template by its asset hash at the end of the TemplateURL it builds with
// Fn::Join; the stack's asset manifest (<stack>.assets.json, beside the template in the cloud assembly)
// maps that hash to the template file.
const ASSET_OBJECT_KEY = /\/([0-9a-f]{64})\.json$/;
const ASSET_MANIFEST = /\.assets\.json$/;

function assetFile(directory: string, hash: string): string | undefined {
  for (const name of readdirSync(directory).filter((entry) => ASSET_MANIFEST.test(entry))) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as {
        files?: Record<string, { source?: { path?: unknown } }>;
      };
      const source = manifest.files?.[hash]?.source?.path;
      if (typeof source === 'string') return path.resolve(directory, source);
    } catch {
      // Not an asset manifest after all: the template stays unseen unless another one names it.
    }
  }
  return undefined;
}

// The asset hash of a TemplateURL in the form CDK writes for its own nested-stack assets: an Fn::Join
// whose last part ends in /<sha256>.json, the object key in the bootstrap assets bucket.
function cdkAssetHash(url: unknown): string | undefined {
  const joined =
    isObject(url) && Array.isArray(url['Fn::Join']) ? (url['Fn::Join'][1] as unknown) : undefined;
  const last = Array.isArray(joined) ? (joined[joined.length - 1] as unknown) : undefined;
  return typeof last === 'string' ? ASSET_OBJECT_KEY.exec(last)?.[1] : undefined;
}

// The nested stack's template on this disk: a CDK asset beside the parent, or a local TemplateURL (as
// `aws cloudformation package` takes it). The TemplateURL is what CloudFormation deploys, so the asset
// metadata (which anyone can write) is followed only when the URL is CDK's own asset form; the asset
// manifest, when there is one, has the last word on which file that hash is.
function nestedTemplatePath(resource: Json, templatePath: string): string | undefined {
  const directory = path.dirname(templatePath);
  const url = isObject(resource.Properties) ? resource.Properties.TemplateURL : undefined;
  if (typeof url === 'string') {
    const local = REMOTE_URL.test(url) ? undefined : path.resolve(directory, url);
    return local !== undefined && existsSync(local) ? local : undefined;
  }
  const hash = cdkAssetHash(url);
  if (hash === undefined) return undefined;
  const assetPath = isObject(resource.Metadata) ? resource.Metadata[CDK_ASSET_PATH] : undefined;
  const candidate =
    assetFile(directory, hash) ??
    (typeof assetPath === 'string' ? path.resolve(directory, assetPath) : undefined);
  return candidate !== undefined && existsSync(candidate) ? candidate : undefined;
}

function resourceUnseen(
  id: string,
  resource: Json,
  templatePath: string,
): Omit<UnseenContent, 'template'> | string | undefined {
  const kind = templateElsewhere(resource.Type);
  if (kind === undefined) return undefined;
  const nested = resource.Type === NESTED_STACK ? nestedTemplatePath(resource, templatePath) : undefined;
  return (
    nested ?? { location: `Resources/${id}`, reason: kind.reason(String(resource.Type)), check: kind.check }
  );
}

/**
 * Finds what a parsed template hides from the policy (transforms, macros, Fn::ForEach endpoints, and
 * resources of TEMPLATES_ELSEWHERE), resolving a nested stack whose template is on this disk.
 *
 * @param body - the template, with short-form YAML tags in their long JSON form
 * @param templatePath - the template's absolute path, against which nested template paths resolve
 * @param displayName - the template as reported
 * @returns the endpoint count, the nested templates to judge, and what cannot be seen
 */
export function inspectTemplate(body: Json, templatePath: string, displayName: string): TemplateVisibility {
  const unseen: UnseenContent[] = [];
  const nestedTemplates: string[] = [];
  const add = (content: Omit<UnseenContent, 'template'>): void => {
    unseen.push({ ...content, template: displayName });
  };
  for (const name of transformNames(body.Transform)) {
    if (name === LANGUAGE_EXTENSIONS) continue;
    add({ location: 'Transform', reason: `the template-level transform or macro ${name}`, check: PROCESSED });
  }
  const calls: { at: string; name: string }[] = [];
  transformCalls(body.Resources, 'Resources', calls);
  for (const call of calls) {
    add({
      location: call.at,
      reason: `Fn::Transform of ${call.name}, which CloudFormation replaces at deployment`,
      check: PROCESSED,
    });
  }
  let endpointCount = 0;
  for (const [id, resource] of Object.entries(isObject(body.Resources) ? body.Resources : {})) {
    if (FOR_EACH.test(id)) {
      const types = loopTypes(resource);
      if (types.includes(ENDPOINT_TYPE)) {
        add({
          location: `Resources/${id}`,
          reason: `${id} generates AWS::EC2::ClientVpnEndpoint resources (AWS::LanguageExtensions)`,
          check: PROCESSED,
        });
      }
      for (const type of new Set(types.filter((type) => templateElsewhere(type) !== undefined))) {
        add({
          location: `Resources/${id}`,
          reason: `${id} generates ${type} resources, whose templates are elsewhere`,
          check: PROCESSED,
        });
      }
      continue;
    }
    if (!isObject(resource)) continue;
    if (resource.Type === ENDPOINT_TYPE) endpointCount += 1;
    const found = resourceUnseen(id, resource, templatePath);
    if (typeof found === 'string') nestedTemplates.push(found);
    else if (found) add(found);
  }
  return { endpointCount, nestedTemplates, unseen };
}
