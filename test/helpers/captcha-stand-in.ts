import { createServer } from 'node:http';
import { listenOnLoopback, type LocalServer } from '../../tools/local/servers.js';

export type CaptchaProvider = 'turnstile' | 'recaptcha' | 'hcaptcha';

/** Each provider's verification path, as on the real endpoint. */
const PATHS: Readonly<Record<CaptchaProvider, string>> = {
  turnstile: '/turnstile/v0/siteverify',
  recaptcha: '/recaptcha/api/siteverify',
  hcaptcha: '/siteverify',
};

/** How the stand-in answers one token; anything left out is the provider's answer to a good token. */
interface StandInAnswer {
  readonly success?: boolean;
  readonly errorCodes?: readonly unknown[];
  readonly hostname?: unknown;
  readonly action?: unknown;
  /** The provider's own score: how likely a human for reCAPTCHA, a risk for hCaptcha Enterprise. */
  readonly score?: unknown;
  /** An HTTP status and a raw body in place of the provider's JSON. */
  readonly status?: number;
  readonly body?: string;
  /** Accept the request and never answer. */
  readonly silent?: boolean;
}

/** One request the stand-in received. */
interface SeenRequest {
  readonly provider: CaptchaProvider | undefined;
  readonly contentType: string;
  readonly form: Readonly<Record<string, string>>;
}

export interface CaptchaStandIn extends LocalServer {
  /** The verification URL for a provider's answer shape. */
  urlFor(provider: CaptchaProvider): string;
  /** How to answer a token from now on. */
  answer(token: string, answer: StandInAnswer): void;
  readonly requests: SeenRequest[];
}

export const STAND_IN_HOSTNAME = 'app.example.com';
export const STAND_IN_ACTION = 'signup';

/**
 * A CAPTCHA verification server on a loopback port, answering in the shape of Turnstile (with
 * action and cdata), reCAPTCHA v3 (score and action) or hCaptcha by path. Like the providers, it
 * refuses a wrong secret (`invalid-input-secret`) and a token's second use (`timeout-or-duplicate`),
 * except that Turnstile gives a token the same answer again for the same `idempotency_key`.
 */
export async function startCaptchaStandIn(secret: string): Promise<CaptchaStandIn> {
  const answers = new Map<string, StandInAnswer>();
  const spent = new Map<string, { idempotencyKey: string | undefined; reply: string }>();
  const requests: SeenRequest[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const provider = (Object.keys(PATHS) as CaptchaProvider[]).find((name) => PATHS[name] === request.url);
      const contentType = request.headers['content-type'] ?? '';
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      requests.push({ provider, contentType, form });
      const token = form.response ?? '';
      const programmed = answers.get(token) ?? {};
      if (programmed.silent === true) return;
      if (provider === undefined || request.method !== 'POST') {
        response.writeHead(404).end('Not Found');
        return;
      }
      if (programmed.status !== undefined || programmed.body !== undefined) {
        response.writeHead(programmed.status ?? 200, { 'content-type': 'text/html' }).end(programmed.body ?? '');
        return;
      }
      const json = (body: unknown) => {
        const reply = JSON.stringify(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end(reply);
        return reply;
      };
      if (form.secret !== secret) {
        json({ success: false, 'error-codes': ['invalid-input-secret'] });
        return;
      }
      const earlier = spent.get(token);
      if (earlier !== undefined) {
        if (provider === 'turnstile' && earlier.idempotencyKey !== undefined) {
          if (earlier.idempotencyKey === form.idempotency_key) response.writeHead(200).end(earlier.reply);
          else json({ success: false, 'error-codes': ['timeout-or-duplicate'] });
          return;
        }
        json({ success: false, 'error-codes': ['timeout-or-duplicate'] });
        return;
      }
      const reply = json(answerOf(provider, programmed));
      spent.set(token, { idempotencyKey: form.idempotency_key, reply });
    });
  });
  const local = await listenOnLoopback(server);
  return {
    ...local,
    urlFor: (provider) => `${local.endpoint}${PATHS[provider]}`,
    answer: (token, answer) => answers.set(token, answer),
    requests,
  };
}

function answerOf(provider: CaptchaProvider, programmed: StandInAnswer): Record<string, unknown> {
  const success = programmed.success ?? true;
  const common = {
    success,
    'error-codes': programmed.errorCodes ?? (success ? [] : ['invalid-input-response']),
    ...(success ? { challenge_ts: new Date().toISOString() } : {}),
    ...('hostname' in programmed ? { hostname: programmed.hostname } : success ? { hostname: STAND_IN_HOSTNAME } : {}),
  };
  const action = 'action' in programmed ? { action: programmed.action } : success ? { action: STAND_IN_ACTION } : {};
  switch (provider) {
    case 'turnstile':
      return { ...common, ...action, ...(success ? { cdata: 'session-1', metadata: { ephemeral_id: 'x:1' } } : {}) };
    case 'recaptcha':
      return {
        ...common,
        ...action,
        ...('score' in programmed ? { score: programmed.score } : success ? { score: 0.9 } : {}),
      };
    case 'hcaptcha':
      return {
        ...common,
        credit: false,
        ...('score' in programmed ? { score: programmed.score, score_reason: [] } : {}),
      };
  }
}
