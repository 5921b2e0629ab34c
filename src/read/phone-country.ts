import { CALLING_CODES } from './calling-codes.js';

// E.164: a plus, then at most 15 digits, the first not 0.
const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * The E.164 country calling code of a phone number, without the plus: `+14155550100` → `1`,
 * `+447700900000` → `44`, `+80012345678` → `800` (non-geographic codes count as countries). The
 * number must be E.164 as Cognito stores `phone_number` (a plus and digits, nothing else);
 * undefined for anything else, or for a number whose first digits are no assigned code. Calling
 * codes are a prefix code (none is the start of another), so at most one of the number's first
 * one, two or three digits is one.
 */
export function phoneCountryOf(phone: string): string | undefined {
  if (!E164.test(phone)) return undefined;
  for (let length = 1; length <= 3; length++) {
    const code = phone.slice(1, 1 + length);
    if (CALLING_CODES.includes(` ${code} `)) return code;
  }
  return undefined;
}
