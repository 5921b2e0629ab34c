import { describe, expect, it } from 'vitest';
import { readSignUpEvent, signUpIdentityOf } from '../../src/read/sign-up-event.js';

describe('readSignUpEvent', () => {
  it('cuts the labels it keeps for the log at 128 characters, so a hostile event cannot flood it', () => {
    const reading = readSignUpEvent({ triggerSource: 'T'.repeat(500), userPoolId: 'p'.repeat(129) });
    expect(reading.kind).toBe('wrong-trigger');
    expect(reading.labels).toEqual({ triggerSource: `${'T'.repeat(128)}…`, userPoolId: `${'p'.repeat(128)}…` });
  });

  it('keeps labels of 128 characters whole, and drops labels that are not strings', () => {
    expect(readSignUpEvent({ triggerSource: { toString: () => 'x' }, userPoolId: 'p'.repeat(128) }).labels).toEqual({
      triggerSource: undefined,
      userPoolId: 'p'.repeat(128),
    });
  });

  it('reads the invitation code from validationData first, then clientMetadata', () => {
    const both = readSignUpEvent({
      request: { validationData: { inviteCode: 'A' }, clientMetadata: { inviteCode: 'B' } },
    });
    const metadataOnly = readSignUpEvent({ request: { validationData: null, clientMetadata: { inviteCode: 'B' } } });
    expect(both.kind === 'sign-up' && both.input.inviteCode).toBe('A');
    expect(metadataOnly.kind === 'sign-up' && metadataOnly.input.inviteCode).toBe('B');
  });
});

describe('signUpIdentityOf', () => {
  it('is the pool and the userName, so that the same userName in another pool is another sign-up', () => {
    expect(signUpIdentityOf({ userPoolId: 'eu-west-1_A', userName: 'kim' })).toBe('eu-west-1_A/kim');
    expect(signUpIdentityOf({ userPoolId: 'eu-west-1_B', userName: 'kim' })).not.toBe('eu-west-1_A/kim');
    expect(signUpIdentityOf({ userPoolId: undefined, userName: 'kim' })).toBe('/kim');
    // A hand-made event without a userName is never taken for a retry.
    expect(signUpIdentityOf({ userPoolId: 'eu-west-1_A', userName: undefined })).toBeUndefined();
  });
});
