// Times a warm decide() for `npm run bench`: one representative sign-up against a few rules.
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load-config.js';
import { decide } from '../src/decide/decide.js';
import { NO_FACTS } from '../src/model/facts.js';
import { readSignUpEvent } from '../src/read/sign-up-event.js';

const loaded = loadConfig({
  MIN_USERNAME_LENGTH: '3',
  BLOCKED_EMAIL_DOMAINS: 'blocked.example',
  AUTO_CONFIRM_EMAIL_DOMAINS: '*.example.com',
});
const reading = readSignUpEvent({
  triggerSource: 'PreSignUp_SignUp',
  userName: 'alice',
  request: { userAttributes: { email: 'alice@eu.example.com', phone_number: '+15555550100' } },
});
if (loaded.issues.length > 0 || reading.kind !== 'sign-up') throw new Error('bench setup is wrong');
const { config } = loaded;
const { input } = reading;

let sink = 0;
const run = (n: number) => {
  for (let i = 0; i < n; i++) if (decide(input, config, NO_FACTS).outcome === 'accepted') sink++;
};
run(200_000);
const n = 2_000_000;
const started = process.hrtime.bigint();
run(n);
const microseconds = Number(process.hrtime.bigint() - started) / 1e3 / n;
if (sink === 0) throw new Error('decide never accepted');
writeFileSync(process.env.BENCH_RESULT ?? '/dev/stdout', JSON.stringify({ micros: microseconds }));
