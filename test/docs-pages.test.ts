import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.mjs';
import { containerConfigWithDocument } from '../src/config/document-config.js';
import { REFUSAL_RULES } from '../src/decide/decide.js';
import { ruleOrderList, rulesDiagram, withRuleOrder, withRulesDiagram } from '../tools/rule-order.js';
import { REFUSAL_TEXTS } from '../src/model/refusal-codes.js';
import { BUDGETS, budgetText } from '../tools/budgets.js';
import { EVENT_CASES } from './helpers/event-cases.js';

// The README and docs/ say what the code does; these checks keep them in step with it: the links
// lead somewhere, the refusal codes and texts are the function's, the rules are drawn in the order
// decide() runs them, the console's test events are the ones the tests run, every tool option is
// documented, and the rules document shown is one the function accepts.

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
// docs/client-errors.md is another page's business; the links into it are checked all the same.
const OWN_PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md') && name !== 'client-errors.md')
    .map((name) => `docs/${name}`),
];

/** Markdown without its fenced code blocks, where a `#` line is a comment, not a heading. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** The anchors GitHub makes for a page's headings. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading = ''] of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    let anchor = slug;
    for (let count = 1; anchors.has(anchor); count++) anchor = `${slug}-${String(count)}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** A section of a page: from its heading to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = text.slice(start + heading.length + 1);
  const end = rest.search(new RegExp(`^#{1,${String(level)}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** A Markdown table's body rows as trimmed cells (header and separator dropped). */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('README.md', () => {
  const readme = read('README.md');

  it('is short enough to read top to bottom', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('gives the two commands first, before anything else to run', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm ci && npm run build');
    expect(firstBlock).toContain('npm test');
  });

  it('lists every refusal code with its default text, and no other', () => {
    const rows = tableRows(section(readme, '## What a refused user sees'));
    const listed = Object.fromEntries(rows.map(([code = '', text = '']) => [code.replace(/`/g, ''), text]));
    expect(listed).toEqual(REFUSAL_TEXTS);
  });

  it('says what to add to the AWS sample in a pool with sign-in aliases', () => {
    const setups = tableRows(section(readme, '## Common setups'));
    const sample = setups.find(([want = '']) => want.startsWith('The AWS sample'));
    expect(sample?.[1]).toContain('`EXISTING_ACCOUNT_POLICY=no-verify`');
    expect(sample?.[1]).toContain('`cognito-idp:ListUsers`');
  });
});

describe('links', () => {
  it.each(OWN_PAGES)('in %s lead to a file, and to a heading there when they name one', (page) => {
    const broken: string[] = [];
    for (const [, target = ''] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file = '', anchor] = target.split('#');
      const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      let text: string;
      try {
        text = read(resolved);
      } catch {
        broken.push(`${target} (no file ${resolved})`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(text).has(anchor)) {
        broken.push(`${target} (no heading #${anchor} in ${resolved})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

// The order of the rules is written from REFUSAL_RULES and each rule's RuleDoc (npm run docs): a
// new rule, or one moved, fails here until the pages are written again.
describe('the order of the rules', () => {
  it('in docs/settings.md is the order of REFUSAL_RULES (npm run docs writes it)', () => {
    const page = read('docs/settings.md');
    expect(withRuleOrder(page, ruleOrderList())).toBe(page);
    const items = section(page, '## Order of the rules').match(/^\d+\. /gm) ?? [];
    expect(items).toHaveLength(REFUSAL_RULES.length);
  });

  it('in the README diagram is the order of REFUSAL_RULES (npm run docs writes it)', () => {
    const readme = read('README.md');
    expect(withRulesDiagram(readme, rulesDiagram())).toBe(readme);
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    // One decision with its refusal for each rule.
    expect(diagram.match(/Refused\[\//g) ?? []).toHaveLength(REFUSAL_RULES.length);
  });
});

describe('docs/local-tools.md', () => {
  const page = read('docs/local-tools.md');

  it('lists, for the Lambda console, every event case the tests run', () => {
    const rows = tableRows(section(page, '## Testing in the Lambda console'));
    // "the same" repeats the settings of the row above.
    let previous = '';
    const resolved = rows.map(([files = '', settings = '', result = '']) => {
      const actual = settings === 'the same' ? previous : settings;
      previous = actual;
      return { files, settings: actual, result };
    });
    const missing = EVENT_CASES.filter((eventCase) =>
      resolved.every(({ files, settings, result }) => {
        if (!files.includes(`\`${eventCase.file}\``)) return true;
        const entries = Object.entries(eventCase.env);
        const settingsMatch =
          entries.length === 0
            ? settings === 'none'
            : entries.every(([name, value]) =>
                settings.includes(name === 'INVITE_SECRET' ? `${name}=` : `${name}=${value}`),
              );
        const { expected } = eventCase;
        const resultMatches =
          'refused' in expected
            ? result.includes(`\`${expected.refused}\``)
            : 'unchanged' in expected
              ? result.includes('unchanged')
              : !/`[A-Z_]{6,}`/.test(result);
        return !(settingsMatch && resultMatches);
      }),
    );
    expect(missing.map(({ file, env }) => `${file} ${JSON.stringify(env)}`)).toEqual([]);
  });

  it('names every npm script a user runs', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const internal = new Set(['typecheck', 'lint', 'prepare', 'unused-exports']);
    const table = section(page, '# Local tools');
    const missing = scripts
      .filter((script) => !internal.has(script) && !/^(pre|post)/.test(script))
      .filter((script) => !table.includes(script === 'test' ? '`npm test`' : `\`npm run ${script}\``));
    expect(missing).toEqual([]);
  });

  it('documents every option of every tool (attach in docs/deploy.md)', () => {
    const documented = `${page}\n${read('docs/deploy.md')}`;
    const missing: string[] = [];
    for (const file of readdirSync(path.join(PROJECT_ROOT, 'tools')).filter((name) => name.endsWith('.ts'))) {
      const usage = /const USAGE\s*=([\s\S]*?);\n/.exec(read(`tools/${file}`))?.[1];
      for (const [option = ''] of usage?.matchAll(/--[a-z][a-z-]*/g) ?? []) {
        if (!documented.includes(option)) missing.push(`${file}: ${option}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('docs/rules-documents.md', () => {
  it('shows a rules document the function accepts as it is', () => {
    const example = /```json\n([\s\S]*?)```/.exec(read('docs/rules-documents.md'))?.[1] ?? '';
    const { loaded, byClient } = containerConfigWithDocument({}, example, 'RULES_FILE');
    expect(loaded.issues).toEqual([]);
    expect([...byClient.keys()]).toEqual(['4example0admin0portal0client']);
  });
});

describe('docs/performance.md', () => {
  it('lists every budget of tools/budgets.ts, as the bench checks it, and no other', () => {
    const page = read('docs/performance.md');
    const table = page.slice(page.indexOf('## Budgets'), page.indexOf('## Where the time goes'));
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| figure') && !line.startsWith('| -'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(rows.map(([, figure, budget]) => [figure, budget])).toEqual(
      Object.values(BUDGETS).map((budget) => [budget.figure, budgetText(budget)]),
    );
  });
});
