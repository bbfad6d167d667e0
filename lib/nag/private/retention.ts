import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { DataClassification } from '../../classification/privacy-tag-keys';

/**
 * The stores the retention rules look at: the types that hold records of personal information
 * (DsrCoveredStoreServed's list, plus queues and streams, whose own retention is short).
 */
export const RETENTION_STORE_TYPES: readonly string[] = [
  'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance',
  'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster', 'AWS::OpenSearchService::Domain', 'AWS::EFS::FileSystem',
];

/**
 * Whether a store that declares its classification `classification` declares no retention: no
 * `privacy:retention-days` and no `privacy:retention-reason`. Undeclared classifications are left
 * to the classification rules (an untagged store has nothing to declare a retention on yet).
 */
export function retentionUndeclared(node: CfnResource, index: AppIndex, classification: DataClassification): boolean {
  const c = index.classification(node);
  return c.declared && c.classification === classification && !c.retentionDeclared;
}

/** The declared retention in days of an in-scope resource, or undefined (none declared, or indefinite with a reason). */
export function declaredRetentionDays(node: CfnResource, index: AppIndex): number | undefined {
  const c = index.classification(node);
  if (!c.inScope || c.indefiniteRetentionReason !== undefined) return undefined;
  return c.retentionDays;
}
