export declare function lambdaContext(
  requestId: string,
  timeoutMs: number,
): { awsRequestId: string; functionName: string; getRemainingTimeInMillis: () => number };
