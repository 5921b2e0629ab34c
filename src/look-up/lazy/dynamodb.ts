// DynamoDB as the lookups use it: one descriptor, and the two calls every table of theirs makes
// (a consistent GetItem, a conditional UpdateItem). A table's file keeps only its key and its
// expressions: invitation-table.ts, rate-limit.ts, waitlist-table.ts.
import { AwsServiceError, type AwsJsonService, callAwsJson } from './aws-json-client.js';

// AWS_ENDPOINT_URL_DYNAMODB reaches an emulator, as it does for the AWS SDK.
const DYNAMODB: AwsJsonService = {
  signingName: 'dynamodb',
  endpointVariable: 'DYNAMODB',
  contentType: 'application/x-amz-json-1.0',
  targetPrefix: 'DynamoDB_20120810',
};

/** A DynamoDB attribute value, as far as the lookups' items use one. */
export interface AttributeValue {
  readonly S?: unknown;
  readonly N?: unknown;
  readonly SS?: unknown;
}

/** An item as DynamoDB JSON gives it: nothing in it is trusted to have the type the table means. */
export type Item = Readonly<Record<string, AttributeValue | undefined>>;

/** What names an item and what of it to read, beside the table. */
interface ItemRead {
  readonly Key: Readonly<Record<string, { readonly S: string }>>;
  readonly ProjectionExpression: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
}

/** What an UpdateItem does, beside the table: on a condition, except where nothing can repeat it. */
interface ConditionalUpdate {
  readonly Key: Readonly<Record<string, { readonly S: string }>>;
  readonly UpdateExpression: string;
  readonly ConditionExpression: string | undefined;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The item, read consistently (a write a moment ago is seen); undefined when there is none.
 * Rejects with what the table answered (ResourceNotFoundException, ValidationException, throttling…).
 */
export async function getItem(table: string, read: ItemRead, signal: AbortSignal): Promise<Item | undefined> {
  const answer = await callAwsJson(DYNAMODB, 'GetItem', { TableName: table, ConsistentRead: true, ...read }, signal);
  return answer.Item as Item | undefined;
}

/**
 * Runs a conditional UpdateItem: true when it was made, false when its condition failed. Rejects
 * with anything else the table answered.
 */
export async function updateItemUnless(
  table: string,
  update: ConditionalUpdate,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const { ConditionExpression, ...always } = update;
    await callAwsJson(
      DYNAMODB,
      'UpdateItem',
      { TableName: table, ...always, ...(ConditionExpression === undefined ? {} : { ConditionExpression }) },
      signal,
    );
    return true;
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
