// Loaded on first use only: the rules documents' reader (RULES_FILE, RULES_PARAMETER, app clients)
// is a file of its own in the zip, which a function without a document never reads.
// ts-unused-exports:disable-next-line
export { configurationWithDocument, loadConfiguration, readTextFile } from '../../config/rules-configuration.js';
