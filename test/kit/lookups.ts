import { ContextProvider, Stack } from 'aws-cdk-lib';

/** The AWS-managed prefix lists of us-east-1, as published (aws-cdk #15820). */
export const US_EAST_1_PREFIX_LISTS = { s3: 'pl-63a5400a', dynamodb: 'pl-02cd2c6b' };

/**
 * The context `cdk synth` records in cdk.context.json after looking up the S3 and DynamoDB prefix
 * lists of a stack's region (PrefixList.fromLookup through the Cloud Control provider), so that a
 * test synthesizes what a user with credentials would get.
 */
export function prefixListLookupContext(stack: Stack, ids: { s3: string; dynamodb: string } = US_EAST_1_PREFIX_LISTS): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [service, id] of Object.entries(ids)) {
    const { key } = ContextProvider.getKey(stack, {
      provider: 'cc-api-provider',
      props: {
        typeName: 'AWS::EC2::PrefixList',
        propertyMatch: { PrefixListName: `com.amazonaws.${stack.region}.${service}` },
        propertiesToReturn: ['PrefixListId'],
        expectedMatchCount: 'exactly-one',
      },
    });
    context[key] = [{ PrefixListId: id }];
  }
  return context;
}
