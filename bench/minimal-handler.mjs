// The yardstick for `npm run bench`: a minimal implementation of this function's core contract,
// written as briefly as honesty allows. It reads the same settings for the same three local rules
// (blocked and allowed domains by exact match, a minimum user name length), confirms and verifies,
// refuses with CODE: text, and writes one JSON log line — but checks no setting, looks nothing up,
// warns about no misspelling, and reads domains loosely. What the real function costs over this is
// the price of doing those things properly.
const env = process.env;
const list = (value) =>
  new Set(
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );
let settings;

export const handler = async (event, context) => {
  settings ??= {
    blocked: list(env.BLOCKED_EMAIL_DOMAINS),
    allowed: list(env.ALLOWED_EMAIL_DOMAINS),
    minimum: Number(env.MIN_USERNAME_LENGTH ?? 0),
  };
  const attributes = event?.request?.userAttributes ?? {};
  const email = typeof attributes.email === 'string' ? attributes.email : undefined;
  const domain = email?.slice(email.lastIndexOf('@') + 1).toLowerCase();
  let code;
  if (domain !== undefined && settings.blocked.has(domain)) code = 'EMAIL_DOMAIN_BLOCKED';
  else if (settings.allowed.size > 0 && (domain === undefined || !settings.allowed.has(domain)))
    code = 'EMAIL_DOMAIN_NOT_ALLOWED';
  else if (String(event?.userName ?? '').length < settings.minimum) code = 'USERNAME_TOO_SHORT';
  process.stdout.write(
    `${JSON.stringify({ level: 'INFO', requestId: context?.awsRequestId, outcome: code ? 'refused' : 'confirmed', code })}\n`,
  );
  if (code) throw new Error(`${code}: Sign-up refused`);
  event.response = {
    autoConfirmUser: true,
    autoVerifyEmail: email !== undefined,
    autoVerifyPhone: attributes.phone_number !== undefined,
  };
  return event;
};
