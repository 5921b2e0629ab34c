// The context object Lambda passes to a handler, as far as this function and its tools use it:
// one definition for `npm run invoke` and the local function process.

/** A Lambda context whose remaining time counts down from `timeoutMs`, as Lambda's does. */
export function lambdaContext(requestId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: requestId,
    functionName: 'PreSignUp',
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
}
