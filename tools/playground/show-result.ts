// What the results area shows of the tester's answer. Everything here may hold text the user typed
// (a domain, a message from a rules document): it is set with textContent, never parsed as HTML.
import type { TesterResult } from '../rule-tester/evaluate.js';
import { type ConfigIssue, describeIssue } from '../../src/model/config-issue.js';

type Child = Node | string;

function element(tag: string, className: string | undefined, ...children: Child[]): HTMLElement {
  const made = document.createElement(tag);
  if (className !== undefined) made.className = className;
  for (const child of children) made.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return made;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  const header = element('tr', undefined, ...head.map((cell) => element('th', undefined, cell)));
  const body = rows.map((row) => element('tr', undefined, ...row.map((cell) => element('td', undefined, cell))));
  return element('table', undefined, element('thead', undefined, header), element('tbody', undefined, ...body));
}

function isConfigIssue(value: unknown): value is ConfigIssue {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return (
    typeof fields.variable === 'string' && typeof fields.expected === 'string' && typeof fields.received === 'string'
  );
}

/** A list of the log line's as sentences: a settings problem in the words of the function's ERROR line. */
function sentences(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: unknown) =>
    typeof item === 'string' ? item : isConfigIssue(item) ? describeIssue(item) : JSON.stringify(item),
  );
}

function list(items: readonly string[]): HTMLElement {
  return element('ul', undefined, ...items.map((item) => element('li', undefined, item)));
}

/** The tester's answer: outcome, what the app gets, each rule's verdict, problems and warnings, the log line. */
export function showResult(into: HTMLElement, result: TesterResult): void {
  const parts: HTMLElement[] = [
    element('p', `outcome ${result.outcome === 'refused' ? 'refused' : 'admitted'}`, result.outcome),
  ];
  if (result.message !== undefined) {
    parts.push(element('h2', undefined, 'What the app gets (UserLambdaValidationException)'));
    parts.push(element('pre', 'problem', result.message));
  } else if (result.flags !== undefined) {
    parts.push(element('h2', undefined, 'The response the function returns'));
    parts.push(element('pre', undefined, JSON.stringify(result.flags, null, 2)));
  } else {
    parts.push(element('h2', undefined, 'The response the function returns'));
    parts.push(element('p', undefined, 'The event, unchanged.'));
  }
  const problems = sentences(result.log.configProblems);
  if (problems.length > 0) {
    parts.push(element('h2', 'problem', 'What is wrong with the settings'));
    parts.push(list(problems));
  }
  const warnings = sentences(result.log.warnings);
  if (warnings.length > 0) {
    parts.push(element('h2', undefined, 'Warnings'));
    parts.push(list(warnings));
  }
  parts.push(element('h2', undefined, 'Rules, in the order the function runs them'));
  parts.push(
    table(
      ['rule', 'verdict', 'code', 'assumed (no fact given)'],
      result.rules.map((report) => [
        report.rule,
        report.verdict,
        report.code ?? '',
        report.assumed === undefined ? '' : JSON.stringify(report.assumed),
      ]),
    ),
  );
  parts.push(element('h2', undefined, 'The log line'));
  parts.push(element('pre', 'log', JSON.stringify(result.log)));
  into.replaceChildren(...parts);
}

/** A mistake in what was typed (not JSON, not KEY=VALUE, a fact of the wrong shape), said in one sentence. */
export function showMistake(into: HTMLElement, mistake: string): void {
  into.replaceChildren(element('p', 'outcome refused', 'Cannot run'), element('p', 'problem', mistake));
}
