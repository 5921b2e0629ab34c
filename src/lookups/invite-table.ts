// Loaded on first use only: the AWS SDK costs tens of milliseconds to import.
import { createHash, timingSafeEqual } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

// One client per container; AWS_ENDPOINT_URL_DYNAMODB reaches an emulator without any setting of ours.
let client: DynamoDBClient | undefined;

/**
 * Whether the table holds this code for this email and it has not expired. The table's partition
 * key `email` is the lowercased email; `code` is a string; `expiresAt`, when present, is a number
 * of epoch seconds. A consistent read, so an invitation written a moment ago is seen.
 */
export async function isInvitedByTable(
  table: string,
  email: string,
  code: string,
  nowSeconds: number,
  signal: AbortSignal,
): Promise<boolean> {
  client ??= new DynamoDBClient({});
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: { email: { S: email.trim().toLowerCase() } },
      ConsistentRead: true,
      ProjectionExpression: 'code, expiresAt',
    }),
    { abortSignal: signal },
  );
  const stored = Item?.code?.S;
  if (stored === undefined) return false;
  const expiresAt = Item?.expiresAt?.N;
  if (expiresAt !== undefined && Number(expiresAt) <= nowSeconds) return false;
  return sameText(stored.trim(), code.trim());
}

// Comparing digests keeps the time independent of where the texts differ, and of their lengths.
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
