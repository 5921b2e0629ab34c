import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import metadata from 'libphonenumber-js/metadata.min.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths.mjs';
import { CALLING_CODES } from '../../src/read/calling-codes.js';
import { phoneCountryOf } from '../../src/read/phone-country.js';

const GENERATED = path.join(PROJECT_ROOT, 'src/read/calling-codes.ts');

/** src/read/calling-codes.ts as it is generated from the installed libphonenumber-js. */
function generatedFile(): string {
  const { version } = JSON.parse(
    readFileSync(path.join(PROJECT_ROOT, 'node_modules/libphonenumber-js/package.json'), 'utf8'),
  ) as { version: string };
  const codes = [...new Set([...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic)])];
  codes.sort((a, b) => Number(a) - Number(b));
  return `// Generated from libphonenumber-js ${version} (its metadata's country_calling_codes and nonGeographic
// keys: Google's libphonenumber, which follows the ITU's assignments). Do not edit: when the package
// is updated, test/read/phone-country.test.ts fails; UPDATE_CALLING_CODES=1 on that test writes it anew.

/** Every E.164 country calling code in use, space-separated, with a space at each end. */
export const CALLING_CODES =
  ' ${codes.join(' ')} ';
`;
}

describe('CALLING_CODES', () => {
  it('is generated from the installed libphonenumber-js', () => {
    const expected = generatedFile();
    if (process.env.UPDATE_CALLING_CODES === '1') writeFileSync(GENERATED, expected);
    expect(
      readFileSync(GENERATED, 'utf8'),
      'src/read/calling-codes.ts is out of date: run UPDATE_CALLING_CODES=1 npx vitest run --project unit test/read/phone-country.test.ts',
    ).toBe(expected);
  });

  it('is a prefix code, of one to three digits each', () => {
    const codes = CALLING_CODES.trim().split(' ');
    expect(codes.length).toBeGreaterThan(200);
    for (const code of codes) {
      expect(code).toMatch(/^[1-9][0-9]{0,2}$/);
      expect(codes.filter((other) => other !== code && other.startsWith(code))).toEqual([]);
    }
  });
});

describe('phoneCountryOf', () => {
  it.each([
    ['+14155550100', '1'],
    ['+12', '1'],
    ['+447700900000', '44'],
    ['+4930123456', '49'],
    ['+79161234567', '7'],
    ['+33612345678', '33'],
    ['+353861234567', '353'],
    ['+8613812345678', '86'],
    ['+85291234567', '852'],
    ['+2348031234567', '234'],
    ['+80012345678', '800'],
    ['+882161234567', '882'],
    ['+999999999999999', undefined],
  ])('gives %s the calling code %s', (phone, code) => {
    expect(phoneCountryOf(phone)).toBe(code);
  });

  it.each(['', '+', '+1', '14155550100', '+0123456', '+1 415 555 0100', ' +14155550100', '+1415555010012345', '+44a'])(
    'reads nothing from %j, which is not E.164',
    (phone) => {
      expect(phoneCountryOf(phone)).toBeUndefined();
    },
  );

  it("agrees with libphonenumber-js's own table for every code", () => {
    for (const [code, regions] of Object.entries(metadata.country_calling_codes)) {
      expect(phoneCountryOf(`+${code}123456789`), `${code} (${regions.join(', ')})`).toBe(code);
    }
  });
});
