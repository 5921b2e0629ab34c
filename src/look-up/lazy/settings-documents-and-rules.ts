// Loaded only by a function whose environment names a rules document (RULES_FILE, RULES_PARAMETER):
// the settings reader, the rules documents' reader and the refusal rules, one file built whole, in
// place of settings-and-rules.ts (one file to load either way).
// ts-unused-exports:disable-next-line
export { containerConfigOfEnvironment, containerConfigWithIssue } from '../../config/container-config.js';
// ts-unused-exports:disable-next-line
export { containerConfigWithDocument, loadContainerConfig, readTextFile } from '../../config/document-config.js';
// ts-unused-exports:disable-next-line
export { REFUSAL_RULES } from '../../decide/decide.js';
