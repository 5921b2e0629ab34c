import type { SettingName } from './settings.js';

/**
 * `CAPTCHA` and the settings that go with it, in one list: the CAPTCHA rule reads these, and the
 * reader warns of the others set without `CAPTCHA`. A file of its own, with a type import only, so
 * that the rule (reached from the zip's entry through the log's CAPTCHA account) brings no
 * settings reader or registry into the entry.
 */
export const CAPTCHA_SETTINGS = [
  'CAPTCHA',
  'CAPTCHA_SECRET',
  'CAPTCHA_SECRET_PARAMETER',
  'CAPTCHA_MIN_SCORE',
  'CAPTCHA_HOSTNAMES',
  'CAPTCHA_ACTION',
  'CAPTCHA_VERIFY_URL',
] as const satisfies readonly SettingName[];
