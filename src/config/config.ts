import type { RefusalTexts } from '../codes.js';
import type { DomainList } from '../domains.js';

export const EXISTING_ACCOUNT_POLICIES = ['ignore', 'no-verify', 'deny'] as const;
export type ExistingAccountPolicy = (typeof EXISTING_ACCOUNT_POLICIES)[number];

/** Where invitation codes are checked: a shared secret that signs them, or a DynamoDB table. */
export type InviteSource =
  { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'table'; readonly table: string };

/** The validated settings of one cold start. Each field names its variable and default. */
export interface Config {
  /** `AUTO_CONFIRM` (default `true`): confirm a sign-up that no rule refused. */
  readonly autoConfirm: boolean;
  /** `AUTO_CONFIRM_EMAIL_DOMAINS` (default: every domain): confirm only emails in these domains; others stay unconfirmed. */
  readonly autoConfirmEmailDomains: DomainList | undefined;
  /** `AUTO_VERIFY_EMAIL` (default `true`): mark a confirmed user's email verified when there is one. */
  readonly autoVerifyEmail: boolean;
  /** `AUTO_VERIFY_PHONE` (default `true`): mark a confirmed user's phone number verified when there is one. */
  readonly autoVerifyPhone: boolean;
  /** `ALLOWED_EMAIL_DOMAINS` (default: no restriction): refuse emails outside the list, and sign-ups without email. */
  readonly allowedEmailDomains: DomainList | undefined;
  /** `BLOCKED_EMAIL_DOMAINS` (default: none): refuse emails in the list. */
  readonly blockedEmailDomains: DomainList | undefined;
  /** `MIN_USERNAME_LENGTH` (default `0`): refuse shorter user names, counted in code points. */
  readonly minUsernameLength: number;
  /** `EXISTING_ACCOUNT_POLICY` (default `ignore`): what to do when another user holds the email or phone. */
  readonly existingAccountPolicy: ExistingAccountPolicy;
  /** `INVITE_REQUIRED` with `INVITE_SECRET` or `INVITE_TABLE` (default: no invitation needed). */
  readonly invite: InviteSource | undefined;
  /** `BLOCK_DISPOSABLE_EMAILS` (default `false`): refuse throwaway email domains. */
  readonly blockDisposableEmails: boolean;
  /** `FAIL_OPEN` (default `false`): when an AWS call fails, skip its rule instead of refusing. */
  readonly failOpen: boolean;
  /** `DRY_RUN` (default `false`): log what would happen, change nothing, refuse nobody. */
  readonly dryRun: boolean;
  /** `DENY_MESSAGE_<CODE>`: the human text of each refusal code. */
  readonly texts: RefusalTexts;
}
