// The pre sign-up trigger, as an Amplify Gen 2 function: Amplify bundles this file with esbuild,
// and the package's handler export is the same code as dist/pre-signup.zip.
export { handler } from 'cognito-pre-signup-trigger';
