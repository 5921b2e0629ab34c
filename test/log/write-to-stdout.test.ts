import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';

// Mocks: a pipe that takes part of a write, or refuses one (EAGAIN), which no real stdout does on
// demand. The function under test keeps state (once queued, always queued), so each test loads it anew.
type WriteSync = (fd: number, buffer: Uint8Array, offset?: number, ...rest: unknown[]) => number;
const fs = process.getBuiltinModule('node:fs') as unknown as { writeSync: WriteSync };
const realWriteSync: WriteSync = fs.writeSync.bind(fs);

let writeSync: MockInstance<WriteSync>;
let streamWrite: MockInstance<(chunk: string | Uint8Array) => boolean>;
const written: string[] = [];
const streamed: string[] = [];

/** fs.writeSync on fd 1 answers with `answer` (bytes taken, or an error to throw) in turn. */
function stdoutAnswers(...answers: (number | 'all' | Error)[]) {
  writeSync.mockImplementation((fd, buffer, offset = 0, ...rest) => {
    if (fd !== 1) return realWriteSync(fd, buffer, offset, ...rest);
    const answer = answers.shift() ?? 'all';
    if (answer instanceof Error) throw answer;
    const taken = answer === 'all' ? buffer.length - offset : answer;
    written.push(Buffer.from(buffer.subarray(offset, offset + taken)).toString('utf8'));
    return taken;
  });
}

async function freshWriter() {
  vi.resetModules();
  return import('../../src/log/write-to-stdout.js');
}

async function freshWriteToStdout() {
  return (await freshWriter()).writeToStdout;
}

beforeEach(() => {
  written.length = 0;
  streamed.length = 0;
  writeSync = vi.spyOn(fs, 'writeSync');
  streamWrite = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    streamed.push(Buffer.from(chunk).toString('utf8'));
    return true;
  });
});
afterEach(() => {
  writeSync.mockRestore();
  streamWrite.mockRestore();
});

describe('writeToStdout', () => {
  it('writes the line to file descriptor 1 with one call, without process.stdout', async () => {
    stdoutAnswers('all');
    const writeToStdout = await freshWriteToStdout();
    writeToStdout('{"é":1}\n');
    expect(written).toEqual(['{"é":1}\n']);
    expect(streamed).toEqual([]);
  });

  it('goes on from where a short write stopped', async () => {
    stdoutAnswers(3, 2, 'all');
    const writeToStdout = await freshWriteToStdout();
    writeToStdout('{"a":"bcd"}\n');
    expect(written.join('')).toBe('{"a":"bcd"}\n');
    expect(written).toHaveLength(3);
  });

  it('hands the rest to process.stdout when a write fails, and every later line too, so none interleave', async () => {
    stdoutAnswers(4, Object.assign(new Error('EAGAIN: resource temporarily unavailable'), { code: 'EAGAIN' }));
    const writeToStdout = await freshWriteToStdout();
    writeToStdout('{"line":1}\n');
    writeToStdout('{"line":2}\n');
    expect(written).toEqual(['{"li']);
    expect(streamed).toEqual(['ne":1}\n', '{"line":2}\n']);
  });
});

describe('prepareStdout', () => {
  it('makes one zero-length write to file descriptor 1, which writes nothing', async () => {
    stdoutAnswers('all');
    const { prepareStdout, writeToStdout } = await freshWriter();
    prepareStdout();
    expect(writeSync.mock.calls.filter(([fd]) => fd === 1).map(([, buffer]) => buffer.length)).toEqual([0]);
    expect(written).toEqual(['']);
    writeToStdout('{"line":1}\n');
    expect(written).toEqual(['', '{"line":1}\n']);
    expect(streamed).toEqual([]);
  });

  it('never throws, and a refused preparation leaves the first line to find out for itself', async () => {
    stdoutAnswers(Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' }), 'all');
    const { prepareStdout, writeToStdout } = await freshWriter();
    expect(() => {
      prepareStdout();
    }).not.toThrow();
    writeToStdout('{"line":1}\n');
    // Not queued behind process.stdout by the preparation: the line went by the system call.
    expect(written).toEqual(['{"line":1}\n']);
    expect(streamed).toEqual([]);
  });

  it('does nothing once lines are queued behind process.stdout', async () => {
    stdoutAnswers(Object.assign(new Error('EAGAIN: resource temporarily unavailable'), { code: 'EAGAIN' }));
    const { prepareStdout, writeToStdout } = await freshWriter();
    writeToStdout('{"line":1}\n');
    const calls = writeSync.mock.calls.length;
    prepareStdout();
    expect(writeSync.mock.calls.length).toBe(calls);
    expect(streamed).toEqual(['{"line":1}\n']);
  });
});
