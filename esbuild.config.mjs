// Builds the Lambda zip: dist/pre-signup.zip with index.mjs at its root (handler `index.handler`).
//
// Two builds keep the cold start small. The entry (index.mjs) is built alone and imports nothing
// at start-up; everything under src/look-up/lazy/ (the AWS SDK clients, node:crypto, the
// disposable-domain list) is built separately into lazy/ and loaded with import() on first use.
// One build with splitting would make the entry import a shared chunk at start-up (~1 ms).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { zipSync } from 'fflate';
import { DIST_DIR, EVENTS_DIR, PROJECT_ROOT as root } from './paths.mjs';

/** The options every bundle of the function's code is built with; bench and tests reuse them. */
export const common = {
  // Paths in metafiles and messages are relative to the project, wherever the build is started.
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  // For Lambda's nodejs22.x and nodejs24.x runtimes; node20 syntax also loads on an older Node
  // running the tools and tests (`npm run invoke -- --runtime host`).
  target: 'node20',
  // The AWS SDK's ESM build: its CommonJS build costs ~80 ms to import, and breaks when loaded with import().
  mainFields: ['module', 'main'],
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
};

// A CommonJS dependency that calls require() for a Node built-in makes esbuild emit its __require
// helper, which throws "Dynamic require of … is not supported" unless the file has a require of its
// own. The shim that gives it one costs ~1 ms to load, so it goes only into files with that helper
// (today none: the AWS SDK is bundled from its ESM build).
const requireShim = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";
const withRequireShimIfNeeded = (text) => (text.includes('Dynamic require of') ? requireShim + text : text);

const LAZY_DIR = path.join(root, 'src/look-up/lazy');
const LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024;
// Lazy files built whole, with no shared chunks: what a function with settings loads at init is one
// file, not the six or seven a split build makes of it (each file ~0.5-1 ms to load). The settings
// reader and the rules come in two: without the rules documents' reader (most functions), and with
// it for an environment that names a document; each function loads one of them.
const WHOLE_LAZY_FILES = ['settings-and-rules.ts', 'settings-documents-and-rules.ts'];
const lazyEntryPoints = readdirSync(LAZY_DIR)
  .filter((name) => name.endsWith('.ts') && !WHOLE_LAZY_FILES.includes(name))
  .map((name) => path.join(LAZY_DIR, name));

/**
 * The disposable-domain list, normalised at build time: the data module is evaluated here (with
 * esbuild, as the tests evaluate it) and replaced by its finished string, so that at run time the
 * set is made with one split (~4 ms) instead of normalising 8,900 entries (~10 ms).
 */
const prebuiltDisposableList = (inlinedInputs) => ({
  name: 'prebuilt-disposable-list',
  setup(build) {
    build.onLoad({ filter: /[\\/]data[\\/]disposable-domain-list\.ts$/ }, async (args) => {
      const evaluated = await esbuild.build({
        ...common,
        entryPoints: [args.path],
        format: 'esm',
        minify: false,
        write: false,
        metafile: true,
      });
      // The list's data ends up in the zip even though its package is not an input of this build.
      for (const input of Object.keys(evaluated.metafile.inputs)) inlinedInputs.add(input);
      const url = `data:text/javascript;base64,${Buffer.from(evaluated.outputFiles[0].contents).toString('base64')}`;
      const { DISPOSABLE_DOMAIN_LIST } = await import(url);
      if (typeof DISPOSABLE_DOMAIN_LIST !== 'string' || DISPOSABLE_DOMAIN_LIST.split('\n').length < 1000) {
        return { errors: [{ text: 'the disposable-domain list came out empty or too short' }] };
      }
      return {
        contents: `export const DISPOSABLE_DOMAIN_LIST = ${JSON.stringify(DISPOSABLE_DOMAIN_LIST)};`,
        loader: 'js',
      };
    });
  },
});

/**
 * The settings of an environment with none (src/config/default-config.ts) and the settings' names
 * (setting-names.ts), evaluated at build time with the settings reader and put in the entry as
 * literals: a function with no settings then carries no reader, which is a file of its own in
 * lazy/ for the functions that have some.
 */
const prebuiltDefaultConfig = {
  name: 'prebuilt-default-config',
  setup(build) {
    build.onLoad({ filter: /[\\/]config[\\/](?:default-config|setting-names)\.ts$/ }, async (args) => {
      const values = Object.entries(await importBundled(path.relative(root, args.path)));
      const problems = values
        .map(([name, value]) => notPlainData(value, name))
        .filter((problem) => problem !== undefined);
      if (problems.length > 0)
        return { errors: problems.map((problem) => ({ text: `${problem}: it cannot be written as a literal` })) };
      return {
        contents: values.map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`).join('\n'),
        loader: 'js',
      };
    });
  },
};

/** Where a value holds something JSON would not give back as it was (a Set, a function, NaN…), or undefined. */
function notPlainData(value, at) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at} is ${String(value)}`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = item === undefined ? `${at}[${index}] is undefined` : notPlainData(item, `${at}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      // Written as a literal, this key would set the object's prototype instead of a property.
      if (key === '__proto__') return `${at} has a key __proto__`;
      // An undefined property is left out of the literal, which reads the same.
      const problem = item === undefined ? undefined : notPlainData(item, `${at}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return `${at} is a ${Object.prototype.toString.call(value)}`;
}

/** In the entry build, `import('./lazy/x.js')` stays an import of the separately built `./lazy/x.mjs`. */
const lazyStaysLazy = {
  name: 'lazy-stays-lazy',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazy\/[\w-]+\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') {
        return { errors: [{ text: `${args.path} is lazy: import it with import(), or only its types` }] };
      }
      return { path: args.path.replace(/\.js$/, '.mjs'), external: true };
    });
  },
};

/**
 * The output files the entry reaches through its imports, static and import(), as esbuild's
 * metafiles record them: absolute path → the project-relative inputs bundled into it. Every lazy .ts
 * is an entry point of the lazy build, and a split build emits chunks for dynamic imports that tree
 * shaking then left unused (@smithy/core's event streams): only what is reached goes into the zip.
 */
function reachableOutputs(builds, entryFile) {
  const outputs = new Map();
  for (const build of builds) {
    for (const [file, output] of Object.entries(build.metafile.outputs)) {
      const at = path.resolve(root, file);
      const imports = output.imports
        // Node's own modules (node:crypto…) are external and not files of the zip.
        .filter((entry) => !entry.external || entry.path.startsWith('.'))
        // An external import (the entry's `./lazy/x.mjs`) is relative to the file; the others to the project.
        .map((entry) => (entry.external ? path.resolve(path.dirname(at), entry.path) : path.resolve(root, entry.path)));
      outputs.set(at, { imports, inputs: Object.keys(output.inputs) });
    }
  }
  const reached = new Map();
  const visit = (file) => {
    if (reached.has(file)) return;
    const output = outputs.get(file);
    if (output === undefined) throw new Error(`${path.relative(root, file)} is imported but was not built`);
    reached.set(file, output.inputs);
    for (const imported of output.imports) visit(imported);
  };
  visit(entryFile);
  return reached;
}

/** The package folder an input path lies in (`node_modules/@scope/name/…` → `node_modules/@scope/name`). */
function packageDirOf(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match === null ? undefined : match[1];
}

/**
 * THIRD-PARTY-NOTICES: every package whose code or data esbuild put into the zip, with its version,
 * its licence and the text of its LICENSE and NOTICE files. Made from the builds' metafiles, so it
 * lists exactly what was bundled, in a stable order.
 */
function thirdPartyNotices(inputs) {
  const dirs = [...new Set([...inputs].map(packageDirOf).filter((dir) => dir !== undefined))].sort();
  const sections = dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    const texts = readdirSync(path.join(root, dir))
      .filter((name) => /^(licen[cs]e|notice)(\.[a-z]+)?$/i.test(name))
      .sort()
      .map((name) => readFileSync(path.join(root, dir, name), 'utf8').trim());
    if (texts.length === 0) throw new Error(`${manifest.name} is bundled but has no LICENSE file to pass on`);
    const source = typeof manifest.repository === 'string' ? manifest.repository : (manifest.repository?.url ?? '');
    return [`${manifest.name} ${manifest.version} (${manifest.license})`, source, '', ...texts].join('\n');
  });
  const rule = `\n\n${'='.repeat(78)}\n\n`;
  const head = 'Third-party software in pre-signup.zip, as the build bundled it (generated by esbuild.config.mjs).';
  return `${head}${rule}${sections.join(rule)}\n`;
}

/** A TypeScript module of this project, bundled and imported: this file is plain JavaScript. */
async function importBundled(file) {
  const built = await esbuild.build({ ...common, entryPoints: [path.join(root, file)] });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].contents).toString('base64')}`);
}

/**
 * The rules document given to `--rules`: its name in the zip and its bytes, once it parses as JSON
 * and has none of the problems no environment can fix, with its lists sorted (see
 * tools/prepare-rules-document.ts).
 */
async function readRulesDocumentFile(rules) {
  const text = readFileSync(rules);
  try {
    JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new Error(`--rules: ${rules} is not valid JSON (${error.message}); npm run rules -- check says more`);
  }
  const { prepareRulesDocument } = await importBundled('tools/prepare-rules-document.ts');
  const prepared = prepareRulesDocument(text.toString('utf8'));
  if (!prepared.ok) {
    const lines = prepared.problems.map((problem) => `\n  ${problem}`).join('');
    throw new Error(`--rules: ${rules} would refuse every sign-up with CONFIG_INVALID:${lines}`);
  }
  return { name: path.basename(rules), text: prepared.text === undefined ? text : Buffer.from(prepared.text) };
}

/**
 * Builds dist/lambda/ (the files the zip holds) and dist/pre-signup.zip.
 * `dist` may point elsewhere, so tests can build without touching the project's own dist/.
 */
export async function buildZip({ quiet = false, dist = DIST_DIR, rules = undefined } = {}) {
  const lambdaDir = path.join(dist, 'lambda');
  const zipPath = path.join(dist, 'pre-signup.zip');
  // Read and parsed before anything in dist/ is touched, so that a bad document leaves the last build as it was.
  const rulesDocument = rules === undefined ? undefined : await readRulesDocumentFile(rules);
  mkdirSync(dist, { recursive: true });
  // Inputs of the disposable list's inner build, whose output is inlined: its data is in the zip.
  const inlinedInputs = new Set();
  const [entry, lazy, ...whole] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { index: path.join(root, 'src/handler.ts') },
      outdir: lambdaDir,
      outExtension: { '.js': '.mjs' },
      plugins: [lazyStaysLazy, prebuiltDefaultConfig],
      metafile: true,
    }),
    esbuild.build({
      ...common,
      entryPoints: lazyEntryPoints,
      outdir: path.join(lambdaDir, 'lazy'),
      outExtension: { '.js': '.mjs' },
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      plugins: [prebuiltDisposableList(inlinedInputs)],
      metafile: true,
    }),
    ...WHOLE_LAZY_FILES.map((name) =>
      esbuild.build({
        ...common,
        entryPoints: [path.join(LAZY_DIR, name)],
        outdir: path.join(lambdaDir, 'lazy'),
        outExtension: { '.js': '.mjs' },
        metafile: true,
      }),
    ),
  ]);

  rmSync(lambdaDir, { recursive: true, force: true });
  const files = {};
  const decoder = new TextDecoder();
  const outputFiles = [entry, lazy, ...whole].flatMap((build) => build.outputFiles);
  const reached = reachableOutputs([entry, lazy, ...whole], path.join(lambdaDir, 'index.mjs'));
  // A split build can emit an empty chunk, with no inputs, and import it for its (no) side effects:
  // each such import would cost a file load at run time for nothing.
  const empty = outputFiles.filter((file) => file.contents.byteLength === 0).map((file) => file.path);
  for (const file of outputFiles) {
    // Nothing loads it: not in the zip (test/build.test.ts checks this from the zip's own files).
    if (!reached.has(file.path) || empty.includes(file.path)) continue;
    const name = path.relative(lambdaDir, file.path).split(path.sep).join('/');
    let text = decoder.decode(file.contents);
    for (const chunk of empty) {
      const relative = path.relative(path.dirname(file.path), chunk).split(path.sep).join('/');
      text = text.replaceAll(`import"./${relative}";`, '');
      if (text.includes(path.basename(chunk)))
        throw new Error(`${name} refers to the empty ${path.basename(chunk)} in a way the build cannot remove`);
    }
    const contents = name === 'index.mjs' ? Buffer.from(text) : Buffer.from(withRequireShimIfNeeded(text));
    files[name] = contents;
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, contents);
  }
  // The licences the bundled code and data come with, and this project's own, travel in the zip.
  const inputs = [...reached.values()].flat();
  if (inputs.some((input) => /[\\/]data[\\/]disposable-domain-list\.ts$/.test(input))) inputs.push(...inlinedInputs);
  files['THIRD-PARTY-NOTICES'] = Buffer.from(thirdPartyNotices(inputs));
  // A rules document goes in under its own name, for RULES_FILE to name (see the README).
  if (rulesDocument !== undefined) {
    if (files[rulesDocument.name] !== undefined || ['LICENSE', 'NOTICE'].includes(rulesDocument.name)) {
      throw new Error(`--rules: the zip already has a file named ${rulesDocument.name}: rename the document`);
    }
    files[rulesDocument.name] = rulesDocument.text;
    writeFileSync(path.join(lambdaDir, rulesDocument.name), rulesDocument.text);
  }
  files.LICENSE = readFileSync(path.join(root, 'LICENSE'));
  files.NOTICE = readFileSync(path.join(root, 'NOTICE'));
  for (const name of ['THIRD-PARTY-NOTICES', 'LICENSE', 'NOTICE'])
    writeFileSync(path.join(lambdaDir, name), files[name]);
  // What the entry imports, as esbuild resolved it: the zip test checks it instead of reading the code.
  writeFileSync(path.join(dist, 'entry-meta.json'), JSON.stringify(entry.metafile, null, 2));

  // A fixed timestamp, fixed permissions and sorted names make two builds byte-identical.
  const zipEntries = {};
  for (const name of Object.keys(files).sort()) {
    zipEntries[name] = [
      files[name],
      { mtime: new Date('2000-01-01T00:00:00Z'), os: 3, attrs: 0o100644 << 16, level: 9 },
    ];
  }
  const zip = zipSync(zipEntries);
  // Lambda takes a zip of at most 50 MB uploaded directly (and 250 MB unzipped).
  if (zip.byteLength > LAMBDA_ZIP_LIMIT) {
    throw new Error(
      `the zip would be ${(zip.byteLength / 1e6).toFixed(1)} MB, over Lambda's 50 MB upload limit: make the rules document smaller, or put it in a layer and name it with an absolute RULES_FILE`,
    );
  }
  writeFileSync(zipPath, zip);

  const sha256 = createHash('sha256').update(zip).digest('hex');
  if (!quiet) {
    console.log(`${path.relative(process.cwd(), zipPath) || zipPath}`);
    console.log(`  size    ${zip.byteLength} bytes (index.mjs ${files['index.mjs'].byteLength} bytes)`);
    console.log(`  sha256  ${sha256}`);
  }
  return { zipPath, sha256, size: zip.byteLength, files: Object.keys(files).sort() };
}

/**
 * Builds the command-line tools (`npm run invoke`, `invite`, `secret-hash`, `sign-up`, `local`) into
 * dist/tools/. They are not part of the zip.
 */
export async function buildTools({ dist = DIST_DIR } = {}) {
  const tools = [
    'invoke',
    'invite',
    'secret-hash',
    'sign-up',
    'local-flow',
    'bench',
    'attach',
    'rules',
    'settings-reference',
    'set-up-runtimes',
  ];
  await esbuild.build({
    ...common,
    minify: false,
    write: true,
    entryPoints: tools.map((name) => path.join(root, 'tools', `${name}.ts`)),
    // The bench builds with esbuild itself, which cannot be bundled (it finds its binary by path).
    external: ['esbuild'],
    outdir: path.join(dist, 'tools'),
    outExtension: { '.js': '.mjs' },
    banner: { js: requireShim },
  });
}

/**
 * Builds the client helper published as `<this package>/client`: dist/client/index.js (ESM, no
 * dependencies, for browsers and Node) with its type declarations from tsc. The bundle carries the
 * function's own refusal texts (src/model/refusal-codes.ts), so the client has no copy to drift.
 */
export async function buildClient({ dist = DIST_DIR } = {}) {
  // Declarations of an earlier layout would be published beside the current ones.
  rmSync(path.join(dist, 'client'), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'src/client/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    outfile: path.join(dist, 'client/index.js'),
    logLevel: 'warning',
  });
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.client.json')],
    {
      stdio: 'inherit',
    },
  );
  // tsc writes the declarations under types/, mirroring src/ (the refusal texts are the model's);
  // the export's types stay at dist/client/index.d.ts.
  writeFileSync(path.join(dist, 'client/index.d.ts'), "export * from './types/client/index.js';\n");
}

/**
 * Builds the CDK construct published as `<this package>/cdk`: dist/cdk/index.mjs and index.cjs (CDK
 * apps are still often CommonJS), with aws-cdk-lib and constructs left to the app, and its type
 * declarations from tsc. It finds the zip at dist/pre-signup.zip, next to its own folder.
 */
export async function buildCdk({ dist = DIST_DIR } = {}) {
  const options = {
    entryPoints: [path.join(root, 'src/cdk/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
    logLevel: 'warning',
  };
  await Promise.all([
    esbuild.build({ ...options, format: 'esm', outfile: path.join(dist, 'cdk/index.mjs') }),
    esbuild.build({
      ...options,
      format: 'cjs',
      outfile: path.join(dist, 'cdk/index.cjs'),
      // CommonJS has no import.meta: the module's URL comes from __filename instead.
      banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__import_meta_url' },
    }),
  ]);
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.cdk.json')],
    { stdio: 'inherit' },
  );
}

const PLAYGROUND_DIR = path.join(root, 'tools/playground');

/** Refuses a Node module reached from the playground's code, naming who imports it: it runs in a browser. */
const browserOnly = {
  name: 'browser-only',
  setup(build) {
    const names = builtinModules.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(?:node:|(?:${names})(?:/|$))`) }, (args) => ({
      errors: [
        {
          text: `${args.path} is a Node module, imported by ${path.relative(root, args.importer)}: the playground runs in a browser, so the rule tester's core (tools/rule-tester/evaluate.ts) and what it imports must not import Node's modules`,
        },
      ],
    }));
  },
};

/**
 * What of Node a browser bundle still uses, from its minified text (no comments left): every
 * process.getBuiltinModule call must name a module the page stands in for (BROWSER_BUILTINS), each
 * stand-in must be used, and nothing else of Node's globals may be reached.
 */
function nodeUsesOf(js, standIns) {
  const problems = [];
  const asked = new Set();
  for (const [, argument] of js.matchAll(/getBuiltinModule\(([^)]*)\)/g)) {
    const name = /^"([^"]+)"$/.exec(argument)?.[1];
    if (name === undefined) problems.push(`a getBuiltinModule(${argument}) whose module cannot be told from the code`);
    else if (!standIns.includes(name)) problems.push(`process.getBuiltinModule("${name}"), which has no stand-in`);
    else asked.add(name);
  }
  for (const name of standIns.filter((standIn) => !asked.has(standIn))) {
    problems.push(`a stand-in for ${name}, which nothing asks for any more: remove it`);
  }
  for (const [use] of js.matchAll(
    /(?<![\w$.])(?:process\.(?!getBuiltinModule\()[\w$]+|Buffer\.[\w$]+|require\(|__dirname|__filename)/g,
  )) {
    problems.push(`${use}, which a browser does not have`);
  }
  return [...new Set(problems)];
}

/** The hash of an inline script or style, as a Content-Security-Policy source: only that text runs. */
const cspHashOf = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Builds dist/playground/index.html: the rule tester's core (tools/rule-tester/evaluate.ts, the
 * function's own code) compiled for the browser, with the page's script, its style and the events/
 * files inlined into one file that makes no request (its Content-Security-Policy allows only its
 * own inline script and style, by hash). Not part of the zip.
 */
export async function buildPlayground({ dist = DIST_DIR, entry = path.join(PLAYGROUND_DIR, 'main.ts') } = {}) {
  const [script, style, { BROWSER_BUILTINS }] = await Promise.all([
    esbuild.build({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      legalComments: 'none',
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
      plugins: [browserOnly],
    }),
    esbuild.build({
      entryPoints: [path.join(PLAYGROUND_DIR, 'page.css')],
      bundle: true,
      minify: true,
      write: false,
      logLevel: 'silent',
    }),
    importBundled('tools/playground/browser-builtins.ts'),
  ]);
  const js = script.outputFiles[0].text.trim();
  const css = style.outputFiles[0].text.trim();
  const problems = nodeUsesOf(js, Object.keys(BROWSER_BUILTINS));
  // Either would end the inline element early (or start an HTML comment there) and break the page.
  if (/<\/script|<!--/i.test(js)) problems.push('the script holds "</script" or "<!--"');
  if (/<\/style/i.test(css)) problems.push('the style holds "</style"');
  if (problems.length > 0) {
    throw new Error(`the playground's code cannot run in a browser as it is:\n  ${problems.join('\n  ')}`);
  }
  const events = Object.fromEntries(
    readdirSync(EVENTS_DIR)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [name, readFileSync(path.join(EVENTS_DIR, name), 'utf8')]),
  );
  // A data block: `<` escaped, so that no event's text can close it.
  const eventsJson = JSON.stringify(events).replace(/</g, '\\u003c');
  let html = readFileSync(path.join(PLAYGROUND_DIR, 'page.html'), 'utf8');
  for (const [placeholder, text] of [
    ['__STYLE__', css],
    ['__EVENTS__', eventsJson],
    ['__SCRIPT__', js],
  ]) {
    const parts = html.split(placeholder);
    if (parts.length !== 2) throw new Error(`tools/playground/page.html must hold ${placeholder} once`);
    html = parts.join(text);
  }
  // The hashes are of the elements' whole text, the template's white space around them included.
  const inline = (tag) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)[1];
  const csp = [
    "default-src 'none'",
    `script-src ${cspHashOf(inline('script'))}`,
    `style-src ${cspHashOf(inline('style'))}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  html = html.replace('__CSP__', csp);
  const outfile = path.join(dist, 'playground/index.html');
  mkdirSync(path.dirname(outfile), { recursive: true });
  writeFileSync(outfile, html);
  return { path: outfile, size: Buffer.byteLength(html) };
}

const USAGE_LINE = 'Usage: npm run build -- [--rules PATH]';
const USAGE = `${USAGE_LINE}

Builds, into dist/:
  pre-signup.zip   the function: upload it to Lambda (runtime nodejs22.x or nodejs24.x, handler index.handler)
  lambda/          the files the zip holds
  tools/           the npm run tools (invoke, local, attach, ...)
  client/, cdk/    the package's ./client and ./cdk exports, with their type declarations
  playground/      index.html: the rule tester in one self-contained page (docs/playground.md)

Options:
  --rules PATH     put this rules document into the zip under its own name (set RULES_FILE to that name);
                   it is checked first, and its lists are sorted
  -h, --help       print this and build nothing`;

/** The command line of `npm run build`, or an exit: 0 after the usage on --help, 2 after a mistake. */
function buildOptions(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { rules: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    const sentence = error.message.endsWith('.') ? error.message : `${error.message}.`;
    console.error(`build: ${sentence}\n${USAGE_LINE} (--help says more)`);
    process.exit(2);
  }
  if (parsed.values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  return { rules: parsed.values.rules };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // Read before anything is built: `--help` and a mistake leave dist/ as it is.
  const { rules } = buildOptions(process.argv.slice(2));
  try {
    await buildZip({ rules });
  } catch (error) {
    // A mistake in what was asked for (a missing or broken --rules file): one line, no stack trace.
    console.error(`build: ${error.code === 'ENOENT' ? `no such file: ${error.path}` : error.message}`);
    process.exit(1);
  }
  // The rest takes a few seconds, mostly tsc writing type declarations.
  console.log('Building the tools, dist/tools/…');
  await buildTools();
  console.log('Building the ./client export and its types, dist/client/…');
  await buildClient();
  console.log('Building the ./cdk export and its types, dist/cdk/…');
  await buildCdk();
  console.log('Building the playground, dist/playground/index.html…');
  try {
    await buildPlayground();
  } catch (error) {
    // Code that cannot run in a browser: what and where, without a stack trace.
    console.error(`build: ${error.message}`);
    process.exit(1);
  }
  console.log('Built.');
}
