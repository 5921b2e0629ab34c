import {
  type AttributeValue,
  CreateTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/**
 * Creates a table keyed by one string attribute on a local DynamoDB (dynalite), waits until it
 * takes writes, and puts these rows in it. dynalite answers CreateTable before the table is
 * ACTIVE: a write in between fails with ResourceNotFoundException on a busy machine.
 */
export async function createLocalTable(
  dynamo: DynamoDBClient,
  name: string,
  key: string,
  rows: readonly Record<string, AttributeValue>[] = [],
): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 10, minDelay: 0.05 }, { TableName: name });
  for (const Item of rows) await dynamo.send(new PutItemCommand({ TableName: name, Item }));
}
