/**
 * Writes a log line to standard output with a system call, without making `process.stdout`: Node
 * builds that stream, and loads the modules behind it, on first use, which costs a cold start more
 * than everything else this function does in init. Lambda's runtime client writes its own logs to a
 * file descriptor of its own and never makes it either. Should a write stop short or fail (a pipe
 * that another writer made non-blocking, and full), the rest goes to `process.stdout`, which
 * queues it: no line is lost or cut.
 */
export function writeToStdout(line: string): void {
  if (queued) {
    process.stdout.write(line);
    return;
  }
  const bytes = Buffer.from(line, 'utf8');
  let written = 0;
  try {
    fs ??= process.getBuiltinModule('node:fs');
    while (written < bytes.length) written += fs.writeSync(STDOUT, bytes, written);
  } catch {
    // From now on every line is queued behind this one, so that no two lines interleave.
    queued = true;
    process.stdout.write(bytes.subarray(written));
  }
}

/**
 * Runs the write path once during init with nothing to write (a zero-length write, which neither a
 * pipe nor a file records), so that the first sign-up's line is written by compiled code: the
 * warm-up's log lines go nowhere, and Node compiles its own write path on first use too. Never
 * throws; a stdout that refuses even this is left for the first real line to handle.
 */
export function prepareStdout(): void {
  if (queued) return;
  try {
    fs ??= process.getBuiltinModule('node:fs');
    fs.writeSync(STDOUT, Buffer.from('', 'utf8'));
  } catch {
    // The first line finds out, and queues behind process.stdout.
  }
}

const STDOUT = 1;
let queued = false;
// Taken from the runtime on first use: an import would be one more module at start-up.
let fs: typeof import('node:fs') | undefined;
