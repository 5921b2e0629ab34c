// A stand-in for the Lambda runtime: one process running the handler from a folder (the unzipped
// zip), with exactly the environment it was started with. It answers invocations over IPC.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lambda-context.mjs';

const { handler } = await import(pathToFileURL(path.join(process.argv[2], 'index.mjs')).href);

process.on('message', async ({ id, event, timeoutMs }) => {
  try {
    process.send({ id, result: await handler(event, lambdaContext(id, timeoutMs)) });
  } catch (error) {
    process.send({ id, error: { errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) } });
  }
});
process.send({ ready: true });
