// Loaded only by a function with settings (see firstVariableToRead): the settings reader, the rules
// documents' reader and the refusal rules are one file of their own in the zip, built whole (no
// shared chunks, so one file to load), which a function with no settings never compiles.
// ts-unused-exports:disable-next-line
export { containerConfigOfEnvironment, containerConfigWithIssue } from '../../config/container-config.js';
// ts-unused-exports:disable-next-line
export { containerConfigWithDocument, loadContainerConfig, readTextFile } from '../../config/document-config.js';
// ts-unused-exports:disable-next-line
export { REFUSAL_RULES } from '../../decide/decide.js';
