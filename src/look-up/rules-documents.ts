import { loadOnce } from './load-once.js';

/**
 * The rules documents' reader (RULES_FILE, RULES_PARAMETER, app clients): a file of its own in the
 * zip, loaded only when a document is named, so that a function without one never compiles it.
 */
export const rulesDocuments = loadOnce(() => import('./lazy/rules-documents.js'));
