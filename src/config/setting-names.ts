import { SETTINGS } from './settings.js';

/**
 * Every setting's name, as the entry needs it (to tell a runtime variable from one of ours behind
 * its prefix, `AWS_AUTO_CONFIRM`) without the registry: the build puts this value in the entry as
 * a literal (esbuild.config.mjs), as it does default-config.ts.
 */
export const SETTING_NAMES: readonly string[] = SETTINGS;
