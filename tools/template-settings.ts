import { REFUSAL_TEXTS } from '../src/model/refusal-codes.js';
import { SETTING_REGISTRY, type SettingName, SETTINGS } from '../src/config/settings.js';
import { SETTING_DOCS } from './setting-docs.js';

// What template.yaml says of the settings, made from the settings registry and each setting's
// TemplateDoc in tools/setting-docs.ts: each setting's parameter, the variable it sets, and the
// console's parameter groups. Written by `npm run docs` between the markers below;
// test/template.test.ts checks that it is current.

/**
 * The console's parameter groups, in order, with the parameters of each that are no setting of the
 * function (before and after the settings the docs place in it).
 */
const TEMPLATE_GROUPS = {
  'The user pool': { before: ['UserPoolId'] },
  'Confirmation and verification': {},
  'Who may sign up': {},
  'Federated sign-in': {},
  Invitations: {},
  'Waitlist (uninvited sign-ups, recorded)': { after: ['CreateWaitlistTable'] },
  'CAPTCHA (self sign-ups through the SDK or Amplify)': {},
  'Velocity limits (per IP address: waf.yaml)': { after: ['CreateRateLimitTable'] },
  'Rules document': {},
  'Operations: failures, dry run, logs, metrics and alarms': {
    after: ['LogRetentionInDays', 'Dashboard', 'AlarmTopicArn', 'ServiceUnavailableRateThreshold'],
  },
  'Refusal texts (empty keeps the built-in text)': {
    after: Object.keys(REFUSAL_TEXTS).map((code) => `DenyMessage${pascalCaseOf(code)}`),
  },
} as const satisfies Readonly<Record<string, { before?: readonly string[]; after?: readonly string[] }>>;

export type TemplateGroup = keyof typeof TEMPLATE_GROUPS;

/** `AUTO_CONFIRM` → `AutoConfirm`: a setting's parameter. */
export function pascalCaseOf(name: string): string {
  return name
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join('');
}

/** A YAML scalar in quotes as Prettier leaves them: single, unless only double ones spare escapes. */
function quoted(text: string): string {
  if (text.includes("'") && !text.includes('"') && !text.includes('\\')) return `"${text}"`;
  return `'${text.replaceAll("'", "''")}'`;
}

/** AllowedValues on one line, or one value a line where that line would pass Prettier's 120 columns. */
function valuesLines(values: readonly string[]): string[] {
  const line = `    AllowedValues: [${values.map(quoted).join(', ')}]`;
  return line.length <= 120 ? [line] : ['    AllowedValues:', ...values.map((value) => `      - ${quoted(value)}`)];
}

/** The values a setting's parameter allows: a boolean's two, a choice's words (and empty, where unset is the default). */
export function allowedValuesOf(name: SettingName): readonly string[] | undefined {
  const entry = SETTING_REGISTRY[name];
  if (entry.kind === 'boolean') return ['true', 'false'];
  if ('choices' in entry) return entry.default === '' ? ['', ...entry.choices] : entry.choices;
  return SETTING_DOCS[name].template.values;
}

function parameterOf(name: SettingName): string[] {
  const entry = SETTING_REGISTRY[name];
  const doc = SETTING_DOCS[name].template;
  const allowed = allowedValuesOf(name);
  return [
    `  ${pascalCaseOf(name)}:`,
    '    Type: String',
    `    Default: ${quoted(entry.default)}`,
    // A secret itself is hidden in the console; where it is kept (an SSM parameter's name) is not.
    ...('secret' in entry && !name.endsWith('_PARAMETER') ? ['    NoEcho: true'] : []),
    `    Description: ${quoted(`${name}. ${doc.description}`)}`,
    ...(allowed === undefined ? [] : valuesLines(allowed)),
    ...(doc.pattern === undefined ? [] : [`    AllowedPattern: ${quoted(doc.pattern)}`]),
  ];
}

function groupsOf(): string[] {
  const docsOrder = Object.keys(SETTING_DOCS) as SettingName[];
  return Object.entries(TEMPLATE_GROUPS).flatMap(([label, extra]) => {
    const before: readonly string[] = 'before' in extra ? extra.before : [];
    const after: readonly string[] = 'after' in extra ? extra.after : [];
    const settings = docsOrder.filter((name) => SETTING_DOCS[name].template.group === label).map(pascalCaseOf);
    return [
      `      - Label: { default: ${quoted(label)} }`,
      '        Parameters:',
      ...[...before, ...settings, ...after].map((parameter) => `          - ${parameter}`),
    ];
  });
}

function variablesOf(): string[] {
  return SETTINGS.map(
    (name) => `          ${name}: ${SETTING_DOCS[name].template.variable ?? `!Ref ${pascalCaseOf(name)}`}`,
  );
}

/** The regions of template.yaml that `npm run docs` writes, each between two marker lines. */
const REGIONS: readonly { readonly begin: string; readonly make: () => string[] }[] = [
  { begin: '      # Written by npm run docs from tools/setting-docs.ts: the groups.', make: groupsOf },
  {
    begin: "  # Written by npm run docs from the registry and tools/setting-docs.ts: each setting's parameter.",
    make: () => SETTINGS.flatMap(parameterOf),
  },
  { begin: "          # Written by npm run docs: each setting's variable.", make: variablesOf },
];
const END = '# End of what npm run docs writes.';

/** template.yaml with each region written from the registry and SETTING_DOCS. */
export function withTemplateSettings(template: string): string {
  let text = template;
  for (const { begin, make } of REGIONS) {
    const start = text.indexOf(`${begin}\n`);
    const indent = begin.slice(0, begin.indexOf('#'));
    const end = text.indexOf(`\n${indent}${END}\n`, start);
    if (start < 0 || end < 0) throw new Error(`template.yaml has no region "${begin.trim()}" … "${END}"`);
    text = `${text.slice(0, start + begin.length + 1)}${make().join('\n')}${text.slice(end)}`;
  }
  return text;
}
