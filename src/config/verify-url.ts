// CAPTCHA_VERIFY_URL's rule, shared by the settings reader and the lazy CAPTCHA check.

/**
 * What a verification URL must be, for `CAPTCHA_VERIFY_URL: expected …; received …`; undefined when
 * it is fine. https, or http on a loopback address (127.0.0.0/8, [::1], localhost); no user name or
 * password, which a configuration issue would print.
 */
export function validateVerifyUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'an absolute https URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'a URL without a user name or password';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return undefined;
  return 'an https URL (http only on a loopback address: 127.0.0.0/8, [::1], localhost)';
}

function isLoopback(hostname: string): boolean {
  // URL has normalised the host already: lower case, IPv4 in dotted decimal, IPv6 in brackets.
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
