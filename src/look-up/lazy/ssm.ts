import type { AwsJsonService } from './aws-json-client.js';

// AWS_ENDPOINT_URL_SSM reaches an emulator, as it does for the AWS SDK.
export const SSM: AwsJsonService = {
  signingName: 'ssm',
  endpointVariable: 'SSM',
  contentType: 'application/x-amz-json-1.1',
  targetPrefix: 'AmazonSSM',
};
