// Which AWS account, region and endpoints the function reaches when a tool runs it on this machine,
// and how to say so. Lambda gives a function its role's credentials and its region as environment
// variables, and the function reads nothing else (no profile, no ~/.aws): `npm run invoke` passes on
// the same variables from this shell, or made-up ones that no AWS endpoint accepts.
import type { LookupFailure } from '../src/model/lookup-failure.js';

/** The variables a function's AWS calls read: credentials, region, and the SDK's endpoint overrides. */
const AWS_VARIABLE =
  /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|REGION|DEFAULT_REGION|ENDPOINT_URL(_[A-Z0-9_]+)?)$/;

/** The services the function's lookups call, by the suffix of their endpoint variable. */
const SERVICES = [
  ['COGNITO_IDENTITY_PROVIDER', 'Cognito'],
  ['DYNAMODB', 'DynamoDB'],
  ['SSM', 'SSM'],
] as const;

/** What the function-host sets when nothing else is given: made-up credentials, accepted only by emulators. */
const MADE_UP_CREDENTIALS = 'local';

/** The AWS variables of this shell, as the function gets them (AWS_DEFAULT_REGION becomes AWS_REGION). */
export function awsVariablesOf(shell: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(shell)) {
    if (value !== undefined && value !== '' && AWS_VARIABLE.test(name)) picked[name] = value;
  }
  const region = picked.AWS_REGION ?? picked.AWS_DEFAULT_REGION;
  if (region !== undefined) picked.AWS_REGION = region;
  return picked;
}

/** An access key id as a person can recognise it, without printing it whole. */
function shownKey(id: string): string {
  return id.length <= 8 ? `${id.slice(0, 2)}…` : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** Which credentials, region and endpoints the function's AWS calls use, in one sentence. */
export function describeAwsAccess(env: Readonly<Record<string, string | undefined>>): string {
  const id = env.AWS_ACCESS_KEY_ID;
  const credentials =
    id === undefined || id === MADE_UP_CREDENTIALS
      ? `made-up credentials (AWS_ACCESS_KEY_ID=${MADE_UP_CREDENTIALS}), which only the local emulators accept`
      : `the credentials of AWS_ACCESS_KEY_ID ${shownKey(id)}${env.AWS_SESSION_TOKEN === undefined ? '' : ' with its session token'}`;
  const region = env.AWS_REGION === undefined ? 'region us-east-1 (no AWS_REGION set)' : `region ${env.AWS_REGION}`;
  const endpoints = SERVICES.map(([suffix, service]) => {
    const configured = env[`AWS_ENDPOINT_URL_${suffix}`] ?? env.AWS_ENDPOINT_URL;
    return `${service} at ${configured ?? "AWS's endpoint"}`;
  });
  return `${credentials}, ${region}, ${endpoints.join(', ')}`;
}

// What the names the lookups log mean, in words (the log keeps names only: a message may quote the email).
const PLAIN_WORDS: Readonly<Record<string, string>> = {
  UnrecognizedClientException: 'AWS did not recognise the credentials',
  InvalidSignatureException: 'AWS refused the signature: the secret key does not belong to the access key',
  ExpiredTokenException: 'the credentials have expired',
  AccessDeniedException: 'the credentials may not make this call (a missing IAM permission)',
  ResourceNotFoundException: 'the pool, table or parameter named in the settings does not exist in this region',
  ParameterNotFound: 'the SSM parameter named in the settings does not exist in this region',
  TimeoutError: 'no answer in time',
  AbortError: 'no answer within the time Cognito allows the function',
  // A bare Error is what node:https throws when it gets no answer at all.
  Error: 'most often the endpoint could not be reached: no network, a closed port or an unknown host',
};

/** One failed lookup, in words, with its fix when the function gives one. */
export function describeLookupFailure({ lookup, error, kind, fix }: LookupFailure): string {
  const words = PLAIN_WORDS[error];
  return `${lookup} failed (${kind}): ${error}${words === undefined ? '' : `, ${words}`}${fix === undefined ? '' : `; ${fix}`}`;
}

/** How to point the function at a real pool, or at the local emulators. */
export const HOW_TO_REACH_AWS = `For a real pool: export credentials that may make these calls (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; from a profile or SSO: eval "$(aws configure export-credentials --format env)")
and AWS_REGION, then run again. For the local emulators: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=<the endpoint
npm run local prints> (AWS_ENDPOINT_URL_DYNAMODB for tables, AWS_ENDPOINT_URL_SSM for parameters); they accept
the made-up credentials.`;
