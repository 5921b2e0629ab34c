import { type AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../../tools/local/stack.js';
import { createLocalTable } from './local-table.js';

/** The rows both invitation suites use: valid, expired, without expiry, and malformed in each way. */
export function invitationRows(now: number): Record<string, AttributeValue>[] {
  return [
    { email: { S: 'kim@example.com' }, code: { S: 'WELCOME-2026' }, expiresAt: { N: String(now + 86_400) } },
    { email: { S: 'lee@example.com' }, code: { S: 'OLD-CODE' }, expiresAt: { N: String(now - 60) } },
    { email: { S: 'max@example.com' }, code: { S: 'NO_EXPIRY' } },
    // Invitations by email (no code), read under INVITE_MATCH=email or code-or-email.
    { email: { S: 'ivy@example.com' } },
    { email: { S: 'uma@example.com' }, maxUses: { N: '1' } },
    // Malformed rows: each must be no invitation at all.
    { email: { S: 'ned@example.com' }, code: { S: 'STRING-EXPIRY' }, expiresAt: { S: '1000' } },
    { email: { S: 'ola@example.com' }, code: { S: 'MILLISECONDS' }, expiresAt: { N: String(now * 1000) } },
    { email: { S: 'pia@example.com' }, code: { N: '12345' } },
    { email: { S: 'raf@example.com' }, code: { S: 'FRACTION' }, expiresAt: { N: '1.5' } },
  ];
}

/** Creates the `invites` table (partition key `email`, a string) on a local DynamoDB, with these rows. */
export async function createInvitationTable(endpoint: string, rows: Record<string, AttributeValue>[]): Promise<void> {
  const dynamo = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    await createLocalTable(dynamo, 'invites', 'email', rows);
  } finally {
    dynamo.destroy();
  }
}
