/**
 * What of a thrown value is safe to log: its name (`AccessDeniedException`, `TypeError`), never its
 * message, which may quote the email (a ListUsers filter, for one) or anything else.
 */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
