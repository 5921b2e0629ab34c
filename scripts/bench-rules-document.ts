// Times a large rules document for `npm run bench`: 100,000 domains and 100,000 addresses, loaded
// from a file as the function loads RULES_FILE (read, JSON, the strict reader on every entry, the
// sets), then a warm decide() against it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfiguration } from '../src/config/load-configuration.js';
import { decide } from '../src/decide/decide.js';
import { NO_FACTS } from '../src/decide/facts.js';
import { readSignUpEvent } from '../src/read/sign-up-event.js';

const ENTRIES = 100_000;
const dir = mkdtempSync(path.join(tmpdir(), 'bench-rules-'));
const file = path.join(dir, 'rules.json');
writeFileSync(
  file,
  JSON.stringify({
    BLOCKED_EMAIL_DOMAINS: Array.from({ length: ENTRIES }, (_, i) => `blocked-${String(i)}.example`),
    ALLOWED_EMAILS: Array.from({ length: ENTRIES }, (_, i) => `partner.${String(i)}@partners.example`),
    ALLOWED_EMAIL_DOMAINS: ['example.com', '*.example.com'],
  }),
);
const started = performance.now();
const { loaded } = loadConfiguration({ RULES_FILE: file }, { root: dir, read: (at) => readFileSync(at, 'utf8') });
const loadMs = performance.now() - started;
rmSync(dir, { recursive: true, force: true });

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
writeFileSync(process.env.BENCH_RESULT ?? '/dev/stdout', JSON.stringify({ loadMs, micros }));
