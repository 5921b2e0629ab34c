// Loaded only by a function with settings (see firstVariableToRead): the settings reader, the rules
// documents' reader and the refusal rules are one file of their own in the zip, built whole (no
// shared chunks, so one file to load), which a function with no settings never compiles.
// ts-unused-exports:disable-next-line
export { configurationOfEnvironment, configurationWithIssue } from '../../config/load-configuration.js';
// ts-unused-exports:disable-next-line
export { configurationWithDocument, loadConfiguration, readTextFile } from '../../config/rules-configuration.js';
// ts-unused-exports:disable-next-line
export { REFUSAL_RULES } from '../../decide/decide.js';
