// Loaded only by a function with settings and no rules document (see src/look-up/settings-and-rules.ts):
// the settings reader and the refusal rules, one file of its own in the zip, built whole (no shared
// chunks, so one file to load), which a function with no settings never compiles.
// ts-unused-exports:disable-next-line
export { containerConfigOfEnvironment } from '../../config/container-config.js';
// ts-unused-exports:disable-next-line
export { REFUSAL_RULES } from '../../decide/decide.js';
