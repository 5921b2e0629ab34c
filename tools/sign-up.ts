// `npm run sign-up -- --client-id C [--client-secret S] --username U --password P
//   [--attribute NAME=VALUE ...] [--client-metadata NAME=VALUE ...] [--endpoint-url URL] [--region R]`
// Signs a user up as an application backend would, and prints UserConfirmed and UserSub.
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { parseCommandLine, parsePairs, required, runTool } from './cli.js';
import { secretHashOf } from './secret-hash-of.js';

const USAGE =
  'npm run sign-up -- --client-id C [--client-secret S] --username U --password P [--attribute NAME=VALUE ...] ' +
  '[--client-metadata NAME=VALUE ...] [--endpoint-url URL] [--region R]';

const HELP = `Signs a user up as an application backend would (SignUp, with SECRET_HASH when given a client secret),
and prints UserConfirmed and UserSub. Against npm run local's emulator, pass its --endpoint-url.

  --client-id C                   the app client's id
  --client-secret S               its secret, when it has one
  --username U, --password P      the new user's
  --attribute NAME=VALUE          a user attribute, e.g. email=kim@example.com (repeatable)
  --client-metadata NAME=VALUE    ClientMetadata passed to the trigger (repeatable)
  --endpoint-url URL              another endpoint than AWS's, e.g. npm run local's
  --region R                      default AWS_REGION, or us-east-1
  -h, --help                      print this and do nothing else`;

await runTool('sign-up', async () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      attribute: { type: 'string', multiple: true },
      'client-metadata': { type: 'string', multiple: true },
      'endpoint-url': { type: 'string' },
      region: { type: 'string' },
    },
    USAGE,
    HELP,
  );
  const clientId = required(values['client-id'], '--client-id', USAGE);
  const username = required(values.username, '--username', USAGE);
  const password = required(values.password, '--password', USAGE);
  const attributes = parsePairs(values.attribute, '--attribute');
  const metadata = parsePairs(values['client-metadata'], '--client-metadata');
  const clientSecret = values['client-secret'];

  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const client = new CognitoIdentityProviderClient({
    region,
    ...(values['endpoint-url'] === undefined ? {} : { endpoint: values['endpoint-url'] }),
  });
  try {
    const result = await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: password,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        ...(Object.keys(metadata).length > 0 ? { ClientMetadata: metadata } : {}),
        ...(clientSecret === undefined ? {} : { SecretHash: secretHashOf(username, clientId, clientSecret) }),
      }),
    );
    process.stdout.write(
      `${JSON.stringify({ UserConfirmed: result.UserConfirmed, UserSub: result.UserSub }, null, 2)}\n`,
    );
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    process.stderr.write(`sign-up: ${name}: ${message}\n`);
    return 1;
  } finally {
    client.destroy();
  }
});
