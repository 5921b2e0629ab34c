// `npm run invite -- --email a@example.com [--days 7]`: prints one signed invitation code alone on
// stdout, signed with INVITE_SECRET from the environment (the same secret the function has).
import { MIN_INVITE_SECRET_LENGTH } from '../src/limits.js';
import { createInvitationCode } from '../src/look-up/lazy/invitation-signature.js';
import { parseCommandLine, required, runTool, UsageError } from './cli.js';

const USAGE = 'INVITE_SECRET=... npm run invite -- --email a@example.com [--days 7]';
const HELP = `Prints one invitation code alone on stdout, for that email address (in any letter case), valid for
--days days, signed with INVITE_SECRET from the environment: the same secret the function has.

  --email ADDRESS   who may sign up with it
  --days N          how long it stays valid, 1 to 3650 (default 7)
  -h, --help        print this and do nothing else`;
const SECONDS_PER_DAY = 86_400;

await runTool('invite', () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { email: { type: 'string' }, days: { type: 'string', default: '7' } },
    USAGE,
    HELP,
  );
  const email = required(values.email, '--email', USAGE);
  if (!email.includes('@')) throw new UsageError(`--email must be an email address, not ${JSON.stringify(email)}.`);
  const days = Number(values.days);
  if (!/^\d+$/.test(values.days) || days < 1 || days > 3650) {
    throw new UsageError(`--days must be a whole number from 1 to 3650, not ${JSON.stringify(values.days)}.`);
  }
  const secret = process.env.INVITE_SECRET?.trim() ?? '';
  if (secret.length < MIN_INVITE_SECRET_LENGTH) {
    throw new UsageError(
      `INVITE_SECRET must be set to the function's secret (at least ${MIN_INVITE_SECRET_LENGTH} characters).`,
    );
  }
  const expiresAt = Math.floor(Date.now() / 1000) + days * SECONDS_PER_DAY;
  process.stdout.write(`${createInvitationCode(secret, email, expiresAt)}\n`);
  return 0;
});
