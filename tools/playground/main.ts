// The playground page (dist/playground/index.html, built by esbuild.config.mjs): the rule tester's
// core, tools/rule-tester/evaluate.ts, run in the browser on what is typed, as `npm run rules --
// test` runs it. The page only reads its boxes and shows the answer; the deciding is evaluate's.
import { installBrowserBuiltins } from './browser-builtins.js';
import { evaluate, type TesterInput, type TesterResult } from '../rule-tester/evaluate.js';
import { addFactSwitches } from './fact-switches.js';
import { showMistake, showResult } from './show-result.js';

/** What the page gives scripts (and the test): the tester's answer as `npm run rules -- test --json` prints it. */
interface PlaygroundApi {
  readonly evaluate: (input: TesterInput) => TesterResult;
}

declare global {
  interface Window {
    preSignUp: PlaygroundApi;
  }
}

// Live, but not on every key: a burst of typing is evaluated once, this long after it stops.
const DEBOUNCE_MS = 120;
const DEFAULT_EVENT = 'sign-up.json';

installBrowserBuiltins();

window.preSignUp = Object.freeze({
  evaluate: (input: TesterInput) => JSON.parse(JSON.stringify(evaluate(input))) as TesterResult,
});

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return found;
}

/** The events/ files the build put into the page, by name, as their text. */
function eventFiles(): Map<string, string> {
  const parsed: unknown = JSON.parse(byId('event-files', HTMLScriptElement).text);
  const files = new Map<string, string>();
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [name, text] of Object.entries(parsed)) if (typeof text === 'string') files.set(name, text);
  }
  return files;
}

const settingsBox = byId('settings', HTMLTextAreaElement);
const eventBox = byId('event', HTMLTextAreaElement);
const eventPicker = byId('event-file', HTMLSelectElement);
const clientIdBox = byId('client-id', HTMLInputElement);
const verdict = byId('verdict', HTMLDivElement);
const files = eventFiles();

/** Runs the tester on the boxes as they are now and shows its answer, or what stops it. */
function run(): void {
  let event: unknown;
  try {
    event = JSON.parse(eventBox.value);
  } catch (error) {
    showMistake(verdict, `The event is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const clientId = clientIdBox.value.trim();
  try {
    showResult(
      verdict,
      window.preSignUp.evaluate({
        settings: settingsBox.value,
        event,
        facts: readFacts(),
        ...(clientId === '' ? {} : { clientId }),
      }),
    );
  } catch (error) {
    // A mistake in what was typed (TesterInputError), or a fault of the page itself: said either way.
    showMistake(verdict, error instanceof Error ? error.message : String(error));
  }
}

let pending: ReturnType<typeof setTimeout> | undefined;
function runSoon(): void {
  clearTimeout(pending);
  pending = setTimeout(run, DEBOUNCE_MS);
}

const readFacts = addFactSwitches(byId('facts', HTMLFieldSetElement), runSoon);

const EDITED = '';
eventPicker.append(new Option('(edited)', EDITED));
for (const name of files.keys()) eventPicker.append(new Option(`events/${name}`, name));
eventPicker.addEventListener('change', () => {
  const text = files.get(eventPicker.value);
  if (text === undefined) return;
  eventBox.value = text;
  runSoon();
});
eventBox.addEventListener('input', () => {
  eventPicker.value = EDITED;
  runSoon();
});
settingsBox.addEventListener('input', runSoon);
clientIdBox.addEventListener('input', runSoon);

eventPicker.value = files.has(DEFAULT_EVENT) ? DEFAULT_EVENT : (files.keys().next().value ?? EDITED);
eventBox.value = files.get(eventPicker.value) ?? '{}';
run();
