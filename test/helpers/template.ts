import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type Tags } from 'yaml';
import { PROJECT_ROOT } from '../../paths.mjs';

// CloudFormation's short forms, read as the long forms they stand for.
const intrinsic = (tag: string, name: string, collection?: 'seq') =>
  ({
    tag,
    ...(collection === undefined ? {} : { collection: 'seq' as const }),
    resolve: (value: unknown) => ({
      [name]:
        typeof (value as { toJSON?: unknown }).toJSON === 'function'
          ? (value as { toJSON(): unknown }).toJSON()
          : value,
    }),
  }) as Tags[number];
const CLOUDFORMATION_TAGS: Tags = [
  intrinsic('!Ref', 'Ref'),
  intrinsic('!Sub', 'Fn::Sub'),
  intrinsic('!GetAtt', 'Fn::GetAtt'),
  intrinsic('!If', 'Fn::If', 'seq'),
  intrinsic('!Not', 'Fn::Not', 'seq'),
  intrinsic('!Equals', 'Fn::Equals', 'seq'),
  intrinsic('!Or', 'Fn::Or', 'seq'),
  intrinsic('!And', 'Fn::And', 'seq'),
  intrinsic('!Condition', 'Condition'),
];

export type Node = Record<string, unknown>;

/** template.yaml, with CloudFormation's short-form tags read as their long forms. */
export function loadTemplate() {
  const template = parse(readFileSync(path.join(PROJECT_ROOT, 'template.yaml'), 'utf8'), {
    customTags: CLOUDFORMATION_TAGS,
  }) as Node;
  const resources = template.Resources as Record<string, { Type: string; Properties: Node }>;
  const parameters = template.Parameters as Record<string, Node>;
  const fn = resources.PreSignUpFunction?.Properties as Node;
  const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
  return { template, resources, parameters, fn, variables };
}
