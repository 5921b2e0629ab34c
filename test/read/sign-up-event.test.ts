import { describe, expect, it } from 'vitest';
import { readSignUpEvent } from '../../src/read/sign-up-event.js';

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
