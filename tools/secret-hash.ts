// `npm run secret-hash -- --username U --client-id C --client-secret S`: the SECRET_HASH that
// Cognito requires from app clients with a secret, as AWS's own script computes it.
import { parseCommandLine, required, runTool } from './cli.js';
import { secretHashOf } from './secret-hash-of.js';

const USAGE = 'npm run secret-hash -- --username U --client-id C --client-secret S';

const HELP = `Prints the SECRET_HASH Cognito requires from an app client with a secret:
Base64(HMAC-SHA256(key = client secret, message = username + client id)).

  --username U         the user name (or email, when it is the user name) being signed up or in
  --client-id C        the app client's id
  --client-secret S    the app client's secret
  -h, --help           print this and do nothing else`;

await runTool('secret-hash', () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    { username: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' } },
    USAGE,
    HELP,
  );
  const hash = secretHashOf(
    required(values.username, '--username', USAGE),
    required(values['client-id'], '--client-id', USAGE),
    required(values['client-secret'], '--client-secret', USAGE),
  );
  process.stdout.write(`SecretHash: ${hash}\n`);
  return 0;
});
