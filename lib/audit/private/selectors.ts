import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { isAuditResource } from './audit-resources';
import { PrivacyClassification } from '../../classification/privacy-classification';

/** CloudTrail's limits on advanced event selectors (PutEventSelectors, InvalidEventSelectorsException). */
export const MAX_SELECTORS = 5;
export const MAX_SELECTOR_VALUES = 500;

/** An in-scope data store found in the construct tree. */
export interface FoundStore {
  readonly resource: CfnResource;
  readonly kind: 'bucket' | 'table';
  /** The ARN to select, or undefined when the trail's stack cannot name it. */
  readonly arn?: string;
}

/**
 * Every `AWS::S3::Bucket`, `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` (TableV2; its
 * `Arn` is the replica in the stack's region) below `root` whose classification is in
 * scope (untagged counts as personal), except the audit machinery's own buckets. One pass over
 * the tree.
 */
export function findInScopeStores(root: IConstruct, trailStack: Stack): FoundStore[] {
  const found: FoundStore[] = [];
  for (const c of root.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || isAuditResource(c)) continue;
    const type = c.cfnResourceType;
    if (type !== 'AWS::S3::Bucket' && type !== 'AWS::DynamoDB::Table' && type !== 'AWS::DynamoDB::GlobalTable') continue;
    if (!PrivacyClassification.of(c).inScope) continue;
    const kind = type === 'AWS::S3::Bucket' ? 'bucket' : 'table';
    found.push({ resource: c, kind, arn: storeArn(c, kind, trailStack) });
  }
  return found;
}

/**
 * The ARN of a store as the trail's stack can write it. Decision table:
 *
 * | where the store is                                   | ARN                                          |
 * | ---------------------------------------------------- | -------------------------------------------- |
 * | the trail's stack                                    | `Fn::GetAtt Arn`                             |
 * | a stack of the same account and region               | `Fn::GetAtt Arn` (CDK exports/imports it)    |
 * | another environment, with a literal name (and env)   | the ARN built from the name                  |
 * | another environment, generated name                  | undefined: cannot be named (synth error)     |
 */
function storeArn(resource: CfnResource, kind: 'bucket' | 'table', trailStack: Stack): string | undefined {
  const storeStack = Stack.of(resource);
  if (storeStack === trailStack || sameEnvironment(storeStack, trailStack)) {
    return kind === 'bucket' ? (resource as s3.CfnBucket).attrArn : (resource as dynamodb.CfnTable | dynamodb.CfnGlobalTable).attrArn;
  }
  if (kind === 'bucket') {
    const name = (resource as s3.CfnBucket).bucketName;
    return name !== undefined && !Token.isUnresolved(name) ? `arn:${trailStack.partition}:s3:::${name}` : undefined;
  }
  const name = (resource as dynamodb.CfnTable | dynamodb.CfnGlobalTable).tableName;
  if (name === undefined || Token.isUnresolved(name) || Token.isUnresolved(storeStack.account) || Token.isUnresolved(storeStack.region)) {
    return undefined;
  }
  return `arn:${trailStack.partition}:dynamodb:${storeStack.region}:${storeStack.account}:table/${name}`;
}

function sameEnvironment(a: Stack, b: Stack): boolean {
  return a.account === b.account && a.region === b.region;
}

/** The selector that logs management events (read and write). */
export function managementSelector(): cloudtrail.CfnTrail.AdvancedEventSelectorProperty {
  return {
    name: 'Management events',
    fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
  };
}

/** S3 object-level data events, on the given bucket ARNs or on every bucket when `bucketArns` is undefined. */
export function s3Selector(bucketArns: string[] | undefined): cloudtrail.CfnTrail.AdvancedEventSelectorProperty {
  return {
    name: bucketArns ? 'S3 object data events of in-scope buckets' : 'S3 object data events of every bucket',
    fieldSelectors: [
      { field: 'eventCategory', equalTo: ['Data'] },
      { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
      ...(bucketArns ? [{ field: 'resources.ARN', startsWith: bucketArns.map((a) => `${a}/`) }] : []),
    ],
  };
}

/** DynamoDB item-level data events, on the given table ARNs or on every table when `tableArns` is undefined. */
export function dynamoDbSelector(tableArns: string[] | undefined): cloudtrail.CfnTrail.AdvancedEventSelectorProperty {
  return {
    name: tableArns ? 'DynamoDB data events of in-scope tables' : 'DynamoDB data events of every table',
    fieldSelectors: [
      { field: 'eventCategory', equalTo: ['Data'] },
      { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
      ...(tableArns ? [{ field: 'resources.ARN', equalTo: tableArns }] : []),
    ],
  };
}

/** How many condition values a selector uses (what CloudTrail counts against its 500). */
export function countValues(selector: cloudtrail.CfnTrail.AdvancedEventSelectorProperty): number {
  let n = 0;
  for (const f of selector.fieldSelectors as cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[]) {
    for (const list of [f.equalTo, f.notEquals, f.startsWith, f.notStartsWith, f.endsWith, f.notEndsWith]) {
      n += Array.isArray(list) ? list.length : 0;
    }
  }
  return n;
}
