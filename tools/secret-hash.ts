// `npm run secret-hash -- --username U --client-id C --client-secret S`: the SECRET_HASH that
// Cognito requires from app clients with a secret, as AWS's own script computes it.
import { parseCommandLine, required, runTool } from './cli.js';
import { secretHashOf } from './secret-hash-of.js';

const USAGE = 'npm run secret-hash -- --username U --client-id C --client-secret S';

await runTool('secret-hash', () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { username: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' } },
    USAGE,
  );
  const hash = secretHashOf(
    required(values.username, '--username', USAGE),
    required(values['client-id'], '--client-id', USAGE),
    required(values['client-secret'], '--client-secret', USAGE),
  );
  process.stdout.write(`SecretHash: ${hash}\n`);
  return 0;
});
