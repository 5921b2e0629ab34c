import { type LoadedConfig, loadConfig } from './load-config.js';

/**
 * The settings of an environment that sets nothing of ours (see firstVariableToRead): what
 * loadConfig reads from no variables at all. The build evaluates this module and puts its value in
 * the zip's entry as a literal (esbuild.config.mjs), so that a function with no settings carries
 * and compiles no settings reader.
 */
export const DEFAULT_LOADED_CONFIG: LoadedConfig = loadConfig({});
