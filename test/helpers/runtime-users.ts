/**
 * The integration project's files that run something on Node 22/24 or under the Lambda runtime
 * client (the zip, the Amplify bundle, `npm run invoke` and `npm run local`, `npx cdk synth`), besides
 * every file of the runtime projects. While `npm test` still fetches and builds those beside the
 * tests, these files wait for it (test/setup-runtimes.ts) and vitest starts the others first.
 */
export const USES_LAMBDA_RUNTIMES: readonly string[] = [
  'test/amplify.test.ts',
  'test/build.test.ts',
  'test/cdk/cdk-cli.test.ts',
  'test/e2e/burst.e2e.test.ts',
  'test/e2e/federated-link.e2e.test.ts',
  'test/e2e/rule-tester-agrees.test.ts',
  'test/tools.test.ts',
];
