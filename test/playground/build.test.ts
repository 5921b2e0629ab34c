import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../esbuild.config.mjs';
import { removeDir } from '../../tools/local/function-host.js';

const dir = mkdtempSync(path.join(tmpdir(), 'playground-build-'));
afterAll(() => removeDir(dir));

/** Builds the page with `code` as its script, into a folder of its own. */
async function buildWith(name: string, code: string): Promise<string> {
  const entry = path.join(dir, `${name}.ts`);
  writeFileSync(entry, code);
  const built = await buildPlayground({ dist: path.join(dir, name), entry });
  return readFileSync(built.path, 'utf8');
}

describe('buildPlayground', () => {
  it('refuses a Node module anywhere in the page’s code, naming the module and who imports it', async () => {
    await expect(
      buildWith('fs', "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n"),
    ).rejects.toThrow(/node:fs is a Node module, imported by .*fs\.ts: the playground runs in a browser/);
    await expect(buildWith('bare', "import { join } from 'path';\nconsole.log(join('a'));\n")).rejects.toThrow(
      /path is a Node module, imported by/,
    );
  });

  it('refuses Node’s globals, and a lazily loaded module the page has no stand-in for', async () => {
    await expect(
      buildWith(
        'globals',
        "console.log(process.env.HOME, Buffer.from('x'), (process as any).getBuiltinModule('node:fs'));\n",
      ),
    ).rejects.toThrow(
      /cannot run in a browser as it is:\n {2}process\.getBuiltinModule\("node:fs"\), which has no stand-in\n {2}a stand-in for node:url, which nothing asks for any more: remove it\n {2}process\.env, which a browser does not have\n {2}Buffer\.from, which a browser does not have$/,
    );
  });

  it('makes one page whose policy admits only its own inline script and style, by hash', async () => {
    const html = await buildWith(
      'fine',
      "console.log((process as any).getBuiltinModule('node:url').domainToASCII('bücher.example'), '</scr' + 'ipt>');\n",
    );
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[\w+/]+=*'; style-src 'sha256-[\w+/]+=*';/);
    expect(csp).not.toContain('unsafe');
    // No file, font or image is named: the page is the only request.
    expect(html).not.toMatch(/\b(?:src|href)=/);
    // The events are a data block that no event's text can close.
    expect(html).toContain('<script type="application/json" id="event-files">');
    expect(html.split('</script>').length - 1).toBe(2);
  });
});
