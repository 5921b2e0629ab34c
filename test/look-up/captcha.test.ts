import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CaptchaRequestRejectedError,
  CaptchaSecretRejectedError,
  CaptchaUnavailableError,
  CaptchaVerifyUrlError,
  verifyCaptcha,
  type CaptchaRequest,
  type CaptchaVerdict,
} from '../../src/look-up/lazy/captcha.js';
import { validateVerifyUrl } from '../../src/config/verify-url.js';
import { freePort } from '../../tools/local/servers.js';
import {
  type CaptchaProvider,
  type CaptchaStandIn,
  STAND_IN_ACTION,
  STAND_IN_HOSTNAME,
  startCaptchaStandIn,
} from '../helpers/captcha-stand-in.js';

const SECRET = '0x4AAAAAAAsecret-of-the-stand-in';
const PROVIDERS: readonly CaptchaProvider[] = ['turnstile', 'recaptcha', 'hcaptcha'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let standIn: CaptchaStandIn;
// Every token is new: the stand-in, like the providers, refuses a second use.
let tokens = 0;
const newToken = () => `XXXX.token-${String(++tokens)}-${'t'.repeat(300)}`;
// Everything verifyCaptcha returned or threw, for the check that none of it quotes a token or the secret.
const outputs: unknown[] = [];
const usedTokens: string[] = [];

function requestFor(provider: CaptchaProvider, token: string, extra: Partial<CaptchaRequest> = {}): CaptchaRequest {
  usedTokens.push(token);
  return { provider, secret: SECRET, token, verifyUrl: standIn.urlFor(provider), ...extra };
}

async function verify(request: CaptchaRequest, signal = AbortSignal.timeout(2000)): Promise<CaptchaVerdict> {
  try {
    const verdict = await verifyCaptcha(request, signal);
    outputs.push(verdict);
    return verdict;
  } catch (error) {
    outputs.push(error);
    throw error;
  }
}

beforeAll(async () => {
  standIn = await startCaptchaStandIn(SECRET);
});

afterAll(async () => {
  await standIn.stop();
});

beforeEach(() => {
  standIn.requests.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('verifyCaptcha', () => {
  it('passes a good Turnstile token, posting secret, response and an idempotency key form-encoded', async () => {
    const token = newToken();

    const verdict = await verify(requestFor('turnstile', token, { action: STAND_IN_ACTION }));

    expect(verdict).toEqual({ passed: true, hostname: STAND_IN_HOSTNAME });
    expect(standIn.requests).toHaveLength(1);
    const [seen] = standIn.requests;
    expect(seen?.provider).toBe('turnstile');
    expect(seen?.contentType).toBe('application/x-www-form-urlencoded');
    expect(seen?.form.secret).toBe(SECRET);
    expect(seen?.form.response).toBe(token);
    expect(seen?.form.idempotency_key).toMatch(UUID);
  });

  it('passes a good reCAPTCHA v3 token with its score', async () => {
    const verdict = await verify(requestFor('recaptcha', newToken(), { minScore: 0.5, action: STAND_IN_ACTION }));

    expect(verdict).toEqual({ passed: true, score: 0.9, hostname: STAND_IN_HOSTNAME });
    expect(standIn.requests[0]?.form).toEqual({ secret: SECRET, response: expect.any(String) });
  });

  it('passes a good hCaptcha token, giving an Enterprise risk score as how likely a human', async () => {
    const plain = await verify(requestFor('hcaptcha', newToken(), { minScore: 0.5 }));
    const token = newToken();
    standIn.answer(token, { score: 0.2 });

    const scored = await verify(requestFor('hcaptcha', token, { minScore: 0.5 }));

    expect(plain).toEqual({ passed: true, hostname: STAND_IN_HOSTNAME });
    expect(scored).toEqual({ passed: true, score: 0.8, hostname: STAND_IN_HOSTNAME });
  });

  it.each(PROVIDERS)('refuses a token %s refuses, with its error codes', async (provider) => {
    const token = newToken();
    standIn.answer(token, { success: false, errorCodes: ['invalid-input-response'] });

    const verdict = await verify(requestFor(provider, token));

    expect(verdict).toEqual({ passed: false, reason: 'refused', errorCodes: ['invalid-input-response'] });
  });

  it('refuses a reCAPTCHA score under the minimum, and an hCaptcha risk over it', async () => {
    const recaptchaToken = newToken();
    standIn.answer(recaptchaToken, { score: 0.3 });
    const hcaptchaToken = newToken();
    standIn.answer(hcaptchaToken, { score: 0.7 });

    const recaptcha = await verify(requestFor('recaptcha', recaptchaToken, { minScore: 0.5 }));
    const hcaptcha = await verify(requestFor('hcaptcha', hcaptchaToken, { minScore: 0.5 }));

    expect(recaptcha).toEqual({
      passed: false,
      reason: 'low-score',
      errorCodes: [],
      score: 0.3,
      hostname: STAND_IN_HOSTNAME,
    });
    expect(hcaptcha).toMatchObject({ passed: false, reason: 'low-score', score: 0.3 });
  });

  it('passes a score equal to the minimum, and an answer without a score whatever the minimum', async () => {
    const token = newToken();
    standIn.answer(token, { score: 0.5 });

    expect(await verify(requestFor('recaptcha', token, { minScore: 0.5 }))).toMatchObject({ passed: true });
    expect(await verify(requestFor('turnstile', newToken(), { minScore: 0.99 }))).toMatchObject({ passed: true });
  });

  it('refuses a hostname not listed, and an answer without one; the list matches in any letter case', async () => {
    const elsewhere = newToken();
    standIn.answer(elsewhere, { hostname: 'evil.example' });
    const nowhere = newToken();
    standIn.answer(nowhere, { hostname: undefined });
    const hostnames = ['App.Example.com', 'www.example.com'];

    const wrong = await verify(requestFor('turnstile', elsewhere, { hostnames }));
    const missing = await verify(requestFor('recaptcha', nowhere, { hostnames }));
    const right = await verify(requestFor('hcaptcha', newToken(), { hostnames }));

    expect(wrong).toEqual({ passed: false, reason: 'wrong-hostname', errorCodes: [], hostname: 'evil.example' });
    expect(missing).toMatchObject({ passed: false, reason: 'wrong-hostname' });
    expect(right).toEqual({ passed: true, hostname: STAND_IN_HOSTNAME });
  });

  it('refuses a wrong action, and an answer without one, when an action is set', async () => {
    const login = newToken();
    standIn.answer(login, { action: 'login' });

    const wrong = await verify(requestFor('recaptcha', login, { action: STAND_IN_ACTION }));
    const missing = await verify(requestFor('hcaptcha', newToken(), { action: STAND_IN_ACTION }));

    expect(wrong).toEqual({
      passed: false,
      reason: 'wrong-action',
      errorCodes: [],
      score: 0.9,
      hostname: STAND_IN_HOSTNAME,
    });
    expect(missing).toMatchObject({ passed: false, reason: 'wrong-action' });
  });

  it('checks the hostname, then the action, then the score', async () => {
    const token = newToken();
    standIn.answer(token, { hostname: 'evil.example', action: 'login', score: 0.1 });
    const request = requestFor('recaptcha', token, { hostnames: ['app.example.com'], action: 'signup', minScore: 0.5 });

    expect(await verify(request)).toMatchObject({ reason: 'wrong-hostname' });
  });

  describe('a retry', () => {
    it('passes with the same token and user name without a second request', async () => {
      const request = requestFor('recaptcha', newToken(), { signUp: 'kim', minScore: 0.5 });

      const first = await verify(request);
      const retry = await verify(request);

      expect(first).toEqual({ passed: true, score: 0.9, hostname: STAND_IN_HOSTNAME });
      expect(retry).toEqual({ passed: true, score: 0.9, hostname: STAND_IN_HOSTNAME, replayed: true });
      expect(standIn.requests).toHaveLength(1);
    });

    it('is not remembered for another user name, or another check', async () => {
      const token = newToken();
      await verify(requestFor('hcaptcha', token, { signUp: 'kim' }));

      const otherUser = await verify(requestFor('hcaptcha', token, { signUp: 'lee' }));
      const otherCheck = await verify(requestFor('hcaptcha', token, { signUp: 'kim', hostnames: ['a.example'] }));

      expect(otherUser).toEqual({ passed: false, reason: 'refused', errorCodes: ['timeout-or-duplicate'] });
      expect(otherCheck).toMatchObject({ passed: false, reason: 'refused' });
      expect(standIn.requests).toHaveLength(3);
    });

    it('is not remembered when the token was refused', async () => {
      const token = newToken();
      standIn.answer(token, { success: false });
      const request = requestFor('turnstile', token, { signUp: 'kim' });

      await verify(request);
      await verify(request);

      expect(standIn.requests).toHaveLength(2);
    });

    it('is forgotten after 300 s', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = Date.now();
      const request = requestFor('recaptcha', newToken(), { signUp: 'kim' });
      await verify(request);

      vi.setSystemTime(start + 299_000);
      expect(await verify(request)).toMatchObject({ passed: true, replayed: true });
      vi.setSystemTime(start + 300_000);
      expect(await verify(request)).toMatchObject({ passed: false, errorCodes: ['timeout-or-duplicate'] });
    });

    it('in another container passes for Turnstile, whose idempotency key makes it safe, and not for the others', async () => {
      const turnstile = requestFor('turnstile', newToken(), { signUp: 'kim' });
      const recaptcha = requestFor('recaptcha', newToken(), { signUp: 'kim' });
      await verify(turnstile);
      await verify(recaptcha);

      vi.resetModules();
      const otherContainer = await import('../../src/look-up/lazy/captcha.js');
      const retried = await otherContainer.verifyCaptcha(turnstile, AbortSignal.timeout(2000));
      const refused = await otherContainer.verifyCaptcha(recaptcha, AbortSignal.timeout(2000));

      expect(retried).toEqual({ passed: true, hostname: STAND_IN_HOSTNAME });
      expect(refused).toMatchObject({ passed: false, errorCodes: ['timeout-or-duplicate'] });
      const keys = standIn.requests.filter(({ provider }) => provider === 'turnstile');
      expect(keys).toHaveLength(2);
      expect(keys[0]?.form.idempotency_key).toBe(keys[1]?.form.idempotency_key);
    });

    it('sends Turnstile another idempotency key for another user name', async () => {
      const token = newToken();
      await verify(requestFor('turnstile', token, { signUp: 'kim' }));
      const other = await verify(requestFor('turnstile', token, { signUp: 'lee' }));

      expect(other).toMatchObject({ passed: false, errorCodes: ['timeout-or-duplicate'] });
      const [first, second] = standIn.requests;
      expect(first?.form.idempotency_key).not.toBe(second?.form.idempotency_key);
    });
  });

  describe('refuses without a request', () => {
    it('a token over 2,048 characters, and an empty one', async () => {
      const long = await verify(requestFor('turnstile', 'x'.repeat(2049)));
      const empty = await verify(requestFor('turnstile', ''));

      expect(long).toEqual({ passed: false, reason: 'refused', errorCodes: ['token-too-long'] });
      expect(empty).toEqual({ passed: false, reason: 'refused', errorCodes: ['token-empty'] });
      expect(standIn.requests).toHaveLength(0);
    });

    it('but sends a token of 2,048 characters', async () => {
      const token = `${newToken()}${'y'.repeat(2048)}`.slice(0, 2048);

      expect(await verify(requestFor('turnstile', token))).toMatchObject({ passed: true });
    });
  });

  describe('throws', () => {
    it.each([500, 502, 503, 429])('CaptchaUnavailableError on HTTP %i', async (status) => {
      const token = newToken();
      standIn.answer(token, { status, body: '{"success":true}' });

      await expect(verify(requestFor('recaptcha', token))).rejects.toThrow(CaptchaUnavailableError);
    });

    it.each([
      ['not JSON', '<html>Bad gateway</html>'],
      ['a JSON array', '[true]'],
      ['JSON without success', '{"hostname":"app.example.com"}'],
      ['a success that is not a boolean', '{"success":"true"}'],
      ['a score that is not a number from 0 to 1', '{"success":true,"score":"0.9"}'],
      ['a score over 1', '{"success":true,"score":9}'],
    ])('CaptchaUnavailableError on an answer that is %s', async (_, body) => {
      const token = newToken();
      standIn.answer(token, { status: 200, body });

      const error: unknown = await verify(requestFor('recaptcha', token)).catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(CaptchaUnavailableError);
      expect((error as Error).name).toBe('CaptchaUnavailableError');
    });

    it('CaptchaUnavailableError on an answer over 64 KB', async () => {
      const token = newToken();
      standIn.answer(token, { status: 200, body: `{"success":true,"x":"${'x'.repeat(70_000)}"}` });

      await expect(verify(requestFor('turnstile', token))).rejects.toThrow(CaptchaUnavailableError);
    });

    it('CaptchaRequestRejectedError on another 4xx, with its status', async () => {
      const token = newToken();
      standIn.answer(token, { status: 403, body: 'Forbidden' });

      const error: unknown = await verify(requestFor('hcaptcha', token)).catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(CaptchaRequestRejectedError);
      expect(error).toMatchObject({ name: 'CaptchaRequestRejectedError', status: 403 });
    });

    it('CaptchaSecretRejectedError when the provider refuses the secret, which no user can cause', async () => {
      const request = { ...requestFor('turnstile', newToken()), secret: 'the-wrong-secret' };

      await expect(verify(request)).rejects.toThrow(CaptchaSecretRejectedError);
    });

    it('CaptchaUnavailableError when nothing listens', async () => {
      const verifyUrl = `http://127.0.0.1:${String(await freePort())}/siteverify`;

      await expect(verify(requestFor('hcaptcha', newToken(), { verifyUrl }))).rejects.toThrow(
        /no verdict: unreachable \(ECONNREFUSED\)/,
      );
    });

    it('CaptchaUnavailableError when the signal aborts a silent provider, as soon as it aborts', async () => {
      const token = newToken();
      standIn.answer(token, { silent: true });
      const controller = new AbortController();
      let abortedAt = Number.NaN;
      const started = performance.now();
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, 300);

      const error: unknown = await verify(requestFor('turnstile', token), controller.signal).catch(
        (thrown: unknown) => thrown,
      );

      const settledAt = performance.now();
      expect(error).toBeInstanceOf(CaptchaUnavailableError);
      expect((error as Error).message).toContain('no answer in time');
      expect(abortedAt - started).toBeGreaterThanOrEqual(290);
      // Measured from the abort, not the start: a busy machine may fire the timer late.
      expect(settledAt - abortedAt).toBeLessThan(50);
      expect(standIn.requests).toHaveLength(1);
    });

    it('CaptchaUnavailableError at once when the signal has already aborted', async () => {
      await expect(verify(requestFor('turnstile', newToken()), AbortSignal.abort())).rejects.toThrow(
        CaptchaUnavailableError,
      );
      expect(standIn.requests).toHaveLength(0);
    });

    it('CaptchaVerifyUrlError on a URL validateVerifyUrl refuses, without a request', async () => {
      const request = requestFor('turnstile', newToken(), { verifyUrl: 'http://captcha.example/siteverify' });

      await expect(verify(request)).rejects.toThrow(CaptchaVerifyUrlError);
    });
  });

  it('cuts the hostname and error codes to lengths fit for a log line, in printable ASCII', async () => {
    const token = newToken();
    const errorCodes = [...Array.from({ length: 30 }, (_, index) => `code-${String(index)}-${'c'.repeat(100)}`)];
    standIn.answer(token, { success: false, hostname: `a\u0000\n${'h'.repeat(1000)}`, errorCodes: [7, ...errorCodes] });

    const verdict = await verify(requestFor('turnstile', token));

    expect(verdict.passed).toBe(false);
    if (verdict.passed) return;
    expect(verdict.hostname).toHaveLength(253);
    expect(verdict.hostname?.startsWith('a??hhh')).toBe(true);
    expect(verdict.errorCodes).toHaveLength(10);
    expect(verdict.errorCodes.every((code) => code.length === 64)).toBe(true);
    expect(verdict.errorCodes[0]?.startsWith('code-0-')).toBe(true);
  });

  it('never quotes the token or the secret in a verdict or an error (run last)', () => {
    expect(outputs.length).toBeGreaterThan(30);
    const texts = outputs.map((output) =>
      output instanceof Error
        ? `${output.name} ${output.message} ${String(output.stack)} ${JSON.stringify(output)}`
        : JSON.stringify(output),
    );
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('the-wrong-secret');
      for (const token of usedTokens.filter((used) => used.length > 0)) expect(text).not.toContain(token);
    }
    // Nor does the idempotency key give either away.
    const keys = standIn.requests.map(({ form }) => form.idempotency_key ?? '').join(' ');
    expect(keys).not.toContain(SECRET);
  });
});

describe('validateVerifyUrl', () => {
  it.each([
    'https://challenges.cloudflare.com/turnstile/v0/siteverify',
    'https://captcha-proxy.internal:8443/siteverify?tenant=a',
    'http://127.0.0.1:8080/siteverify',
    'http://127.45.6.7/siteverify',
    'http://[::1]:9000/',
    'http://localhost:3000/siteverify',
    'http://LOCALHOST/siteverify',
  ])('accepts %s', (url) => {
    expect(validateVerifyUrl(url)).toBeUndefined();
  });

  it.each([
    ['http://captcha.example/siteverify', 'an https URL'],
    ['http://128.0.0.1/siteverify', 'an https URL'],
    ['http://0.0.0.0/siteverify', 'an https URL'],
    ['http://[::2]/siteverify', 'an https URL'],
    ['http://localhost.example.com/siteverify', 'an https URL'],
    ['http://127.0.0.1.nip.io/siteverify', 'an https URL'],
    ['ftp://127.0.0.1/siteverify', 'an https URL'],
    ['/siteverify', 'an absolute https URL'],
    ['not a url', 'an absolute https URL'],
    ['', 'an absolute https URL'],
    ['https://user:password@proxy.example/siteverify', 'a URL without a user name or password'],
  ])('refuses %s, expecting %s', (url, expected) => {
    expect(validateVerifyUrl(url)).toContain(expected);
  });
});
