// The types of `import { handler } from 'cognito-pre-signup-trigger'`: the same code as the zip's
// index.handler (dist/lambda/index.mjs), for bundlers such as Amplify Gen 2's defineFunction and
// CDK's NodejsFunction. Settings come from the environment, as in the zip.
import type { Context, PreSignUpTriggerEvent } from 'aws-lambda';

/**
 * The pre sign-up trigger. Resolves to the event with `response` set, or rejects with an Error
 * whose message is `CODE: text` to refuse the sign-up.
 */
export declare function handler(event: PreSignUpTriggerEvent, context: Context): Promise<PreSignUpTriggerEvent>;
