// The function loads Node's modules lazily, with process.getBuiltinModule (a top-level import would
// cost every cold start). Of those, the rule tester's core reaches one: node:url, for the IDNA
// mapping of a non-ASCII email domain (src/read/email-address.ts). A browser has no node:url; this
// is the same operation done with the web platform's URL parser, the WHATWG one Node's follows.
// The build refuses a playground whose code asks for a module this table does not have
// (esbuild.config.mjs, buildPlayground), and test/playground/page.test.ts compares every answer the
// page gives with the function's own, on Node.

/**
 * Node's url.domainToASCII: the WHATWG URL host parser run by a hostname setter on a `ws:` URL, ''
 * when it refuses the name. The setter leaves a refused name's URL as it was, so the name is set on
 * two URLs with different hosts: they agree only when it was taken.
 */
function domainToASCII(domain: string): string {
  const hostOf = (start: string): string => {
    const url = new URL(`ws://${start}`);
    url.hostname = domain;
    return url.hostname;
  };
  const first = hostOf('a');
  return first === hostOf('b') ? first : '';
}

/** What the playground gives process.getBuiltinModule, by module: only what the function calls. */
export const BROWSER_BUILTINS = {
  'node:url': { domainToASCII },
} as const;

/**
 * Gives the page a `process` with only getBuiltinModule, answering from BROWSER_BUILTINS; any other
 * module is a clear error, never a silent stand-in.
 */
export function installBrowserBuiltins(): void {
  const getBuiltinModule = (name: string): unknown => {
    if (Object.hasOwn(BROWSER_BUILTINS, name)) return BROWSER_BUILTINS[name as keyof typeof BROWSER_BUILTINS];
    throw new Error(`the playground has no browser stand-in for ${name} (tools/playground/browser-builtins.ts)`);
  };
  Object.defineProperty(globalThis, 'process', { value: Object.freeze({ getBuiltinModule }), configurable: true });
}
