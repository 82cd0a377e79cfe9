import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';

// The short forms CloudFormation's YAML accepts for intrinsic functions and condition functions, each
// the long form `Fn::<Name>` (Ref and Condition keep their name). Without them a YAML parser reads
// `!Transform {...}` as a plain map and `!Ref Group` as the string "Group", hiding what the template says.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
const SHORT_FORMS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Length',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
] as const;

function longForm(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

// `!GetAtt Group.Arn` is the string form of `Fn::GetAtt: [Group, Arn]`.
function scalarValue(name: string, value: string): unknown {
  if (name !== 'GetAtt') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? value : [value.slice(0, dot), value.slice(dot + 1)];
}

/**
 * The YAML tags of CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!Transform`, ...),
 * each resolved to its long JSON form, so a YAML template reads as the same object as its JSON.
 */
export const CLOUDFORMATION_YAML_TAGS: readonly (ScalarTag | CollectionTag)[] = [
  'Ref',
  'Condition',
  ...SHORT_FORMS,
].flatMap((name): (ScalarTag | CollectionTag)[] => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({ [longForm(name)]: scalarValue(name, value) }),
  },
  {
    tag: `!${name}`,
    collection: 'seq',
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [longForm(name)]: value.toJSON() }),
  },
  {
    tag: `!${name}`,
    collection: 'map',
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [longForm(name)]: value.toJSON() }),
  },
]);
