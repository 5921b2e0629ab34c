// The facts switches: one <select> per fact lookups would give, made from FACT_ANSWERS.
import { FACT_ANSWERS } from './fact-answers.js';
import type { FactName } from '../../src/model/facts.js';

const NOT_GIVEN = '';

/**
 * Adds a labelled <select> for every fact to `fieldset`, each starting at "not given", and returns
 * a reader of the answers chosen: the `facts` object the tester takes (only the facts given).
 */
export function addFactSwitches(fieldset: HTMLFieldSetElement, onChange: () => void): () => Record<string, unknown> {
  const selects = new Map<FactName, HTMLSelectElement>();
  for (const [name, answers] of Object.entries(FACT_ANSWERS) as [FactName, (typeof FACT_ANSWERS)[FactName]][]) {
    const label = document.createElement('label');
    const caption = document.createElement('span');
    caption.textContent = name;
    const select = document.createElement('select');
    select.dataset.testid = `fact-${name}`;
    select.append(new Option('not given', NOT_GIVEN));
    answers.forEach((answer, index) => select.append(new Option(answer.label, String(index))));
    select.addEventListener('change', onChange);
    label.append(caption, select);
    fieldset.append(label);
    selects.set(name, select);
  }
  return () => {
    const facts: Record<string, unknown> = {};
    for (const [name, select] of selects) {
      if (select.value === NOT_GIVEN) continue;
      facts[name] = FACT_ANSWERS[name][Number(select.value)]?.value;
    }
    return facts;
  };
}
