import type { SettingName } from '../src/config/settings.js';
import { REFUSAL_RULES, type RuleName } from '../src/decide/decide.js';
import { OTHER_RULE_DOCS, type RuleDoc, SETTING_DOCS } from './setting-docs.js';

// The order of the refusal rules as the docs show it, made from REFUSAL_RULES (src/decide/decide.ts)
// and each rule's RuleDoc: docs/settings.md's "Order of the rules" and the README's diagram. Written
// by `npm run docs`; test/docs-pages.test.ts checks both are current.

/** A rule's RuleDoc: its setting's (SETTING_DOCS), or one of OTHER_RULE_DOCS. */
function ruleDocOf(name: RuleName): RuleDoc {
  if (Object.hasOwn(OTHER_RULE_DOCS, name)) return OTHER_RULE_DOCS[name as keyof typeof OTHER_RULE_DOCS];
  const { rule } = SETTING_DOCS[name as SettingName];
  if (rule === undefined) throw new Error(`${name} is a rule: tools/setting-docs.ts must give its rule`);
  return rule;
}

const ORDER_INTRO = 'The rules run in this order and the first refusal wins (`src/decide/decide.ts`):\n\n';

/** The numbered list of docs/settings.md's "Order of the rules". */
export function ruleOrderList(): string {
  return REFUSAL_RULES.map((rule, index) => `${String(index + 1)}. ${ruleDocOf(rule.name).order}`).join('\n');
}

/** docs/settings.md with its order of the rules replaced by `list`. */
export function withRuleOrder(page: string, list: string): string {
  const start = page.indexOf(ORDER_INTRO);
  if (start < 0) throw new Error(`docs/settings.md has no "${ORDER_INTRO.trim()}"`);
  const listStart = start + ORDER_INTRO.length;
  const listEnd = page.indexOf('\n\n', listStart);
  if (listEnd < 0) throw new Error('docs/settings.md has no end to its order of the rules');
  return page.slice(0, listStart) + list + page.slice(listEnd);
}

/** A rule's node id in the diagram: its name in camelCase. */
function nodeOf(name: string): string {
  return name.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The README's Mermaid flowchart: how the function reads an event, then each rule in its order. */
export function rulesDiagram(): string {
  const lines = [
    'flowchart TD',
    '  event([Cognito calls the trigger]) --> object{event is a JSON object?}',
    '  object -- no --> eventInvalid[/EVENT_INVALID/]',
    '  object -- yes --> source{a pre sign-up triggerSource?}',
    '  source -- no --> wrong([returned unchanged, WARN: wrong trigger])',
    '  source -- yes --> config{settings valid?}',
    '  config -- no --> configInvalid[/CONFIG_INVALID/]',
  ];
  let previous = { node: 'config', passesWhen: 'yes' };
  for (const rule of REFUSAL_RULES) {
    const doc = ruleDocOf(rule.name);
    const node = nodeOf(rule.name);
    lines.push(
      `  ${previous.node} -- ${previous.passesWhen} --> ${node}{${doc.asks}}`,
      `  ${node} -- ${doc.refusedWhen} --> ${node}Refused[/${doc.refuses}/]`,
    );
    previous = { node, passesWhen: doc.passesWhen ?? 'pass' };
  }
  lines.push(
    `  ${previous.node} -- ${previous.passesWhen} --> admin{AdminCreateUser?}`,
    '  admin -- yes --> unchanged([response unchanged])',
    '  admin -- no --> flags([set autoConfirmUser, autoVerifyEmail, autoVerifyPhone])',
  );
  return `${lines.join('\n')}\n`;
}

/** README.md with its Mermaid block replaced by `diagram`. */
export function withRulesDiagram(readme: string, diagram: string): string {
  const opening = '```mermaid\n';
  const start = readme.indexOf(opening);
  const end = readme.indexOf('```', start + opening.length);
  if (start < 0 || end < 0) throw new Error('README.md has no ```mermaid block');
  return readme.slice(0, start + opening.length) + diagram + readme.slice(end);
}
