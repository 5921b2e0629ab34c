// Times a large rules document for `npm run bench`: 100,000 domains and 100,000 addresses, loaded
// from a file as the function loads RULES_FILE (read, JSON, the strict reader on every entry, the
// lookups), then a warm decide() against it. The document (BENCH_RULES_FILE) is written by
// tools/bench.ts, as the build writes it: a function never makes its document in the process that
// loads it, and 200,000 strings made here would leave garbage that slows the load.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadContainerConfig, readTextFile } from '../src/config/document-config.js';
import { decide } from '../src/decide/decide.js';
import { NO_FACTS } from '../src/model/facts.js';
import { readSignUpEvent } from '../src/read/sign-up-event.js';

const file = process.env.BENCH_RULES_FILE;
if (file === undefined) {
  throw new Error('BENCH_RULES_FILE names the document to load (npm run bench writes it)');
}
const started = performance.now();
const { loaded } = loadContainerConfig(
  { RULES_FILE: path.basename(file) },
  { root: path.dirname(file), read: readTextFile },
);
const loadMs = performance.now() - started;
// The floor, measured after the load so as not to warm it: reading and parsing the same file.
const floorStarted = performance.now();
JSON.parse(readTextFile(file));
const parseMs = performance.now() - floorStarted;

const reading = readSignUpEvent({
  triggerSource: 'PreSignUp_SignUp',
  userName: 'partner',
  request: { userAttributes: { email: 'partner.99999@partners.example' } },
});
if (loaded.issues.length > 0 || reading.kind !== 'sign-up') throw new Error('bench setup is wrong');
let sink = 0;
const run = (n: number) => {
  for (let i = 0; i < n; i++) if (decide(reading.input, loaded.config, NO_FACTS).outcome === 'accepted') sink++;
};
run(200_000);
const n = 1_000_000;
const decideStarted = process.hrtime.bigint();
run(n);
const micros = Number(process.hrtime.bigint() - decideStarted) / 1e3 / n;
if (sink === 0) throw new Error('decide never accepted');
writeFileSync(process.env.BENCH_RESULT ?? '/dev/stdout', JSON.stringify({ loadMs, parseMs, micros }));
