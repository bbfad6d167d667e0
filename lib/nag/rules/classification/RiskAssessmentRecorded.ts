import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { DataCategory } from '../../../classification/data-category';
import { DataClassification, PrivacyTagKeys } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** CloudFormation types that hold data (the inventory's list) and the functions ADMT tags mark. */
const STORE_TYPES = new Set([
  'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem', 'AWS::SQS::Queue', 'AWS::Kinesis::Stream', 'AWS::OpenSearchService::Domain',
  'AWS::ElastiCache::ReplicationGroup', 'AWS::Logs::LogGroup',
]);

/** The compute that makes decisions: the types a `privacy:automated-decision` tag marks (a function's role inherits the tag). */
const DECISION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine', 'AWS::ECS::TaskDefinition', 'AWS::SageMaker::Endpoint']);

/** The sensitive category keys of a `privacy:categories` value (an unknown key counts as sensitive, fail closed, as DataCategory.fromKey; a malformed one is PrivacyTagsValid's finding). */
export function sensitiveCategoriesOf(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((k) => {
    try {
      return k.length > 0 && DataCategory.fromKey(k).sensitive;
    } catch {
      return false; // not a category key: PrivacyTagsValid reports it
    }
  });
}

/** Why a resource triggers a risk assessment (undefined when it does not). */
export function riskAssessmentTrigger(node: CfnResource, tags: Record<string, string>): string | undefined {
  const decision = tags[PrivacyTagKeys.AUTOMATED_DECISION];
  if (DECISION_TYPES.has(node.cfnResourceType) && decision !== undefined && decision.trim().length > 0) return `automated decision-making (${PrivacyTagKeys.AUTOMATED_DECISION} = ${JSON.stringify(decision)})`;
  if (!STORE_TYPES.has(node.cfnResourceType)) return undefined;
  const sensitive = sensitiveCategoriesOf(tags[PrivacyTagKeys.DATA_CATEGORIES]);
  if (sensitive.length > 0) return `sensitive personal information (${sensitive.join(', ')})`;
  if (tags[PrivacyTagKeys.CLASSIFICATION] === DataClassification.SENSITIVE) return 'sensitive personal information (classification sensitive)';
  return undefined;
}

/** A sensitive store or an automated decision-making function names its recorded risk assessment (a warning). */
export const RiskAssessmentRecorded: CcpaRule = {
  id: 'RiskAssessmentRecorded',
  service: 'classification',
  level: NagMessageLevel.WARN,
  resourceTypes: ['*'],
  what: `A data store tagged sensitive (or holding a sensitive category), or a function tagged ${PrivacyTagKeys.AUTOMATED_DECISION}, carries no ${PrivacyTagKeys.RISK_ASSESSMENT} tag naming the recorded risk assessment that covers it.`,
  cites: ['ccr-7150(b)', 'ccr-7152(a)'],
  risk: Risk.RISK_ASSESSMENT,
  fix: `Record the risk assessment (risk-assessment-triggers.json from CyberAuditEvidence pre-fills what the app knows) and tag the resource with its reference: Tags.of(store).add('${PrivacyTagKeys.RISK_ASSESSMENT}', 'RA-2026-007').`,
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    const tags = index.tags(node);
    const trigger = riskAssessmentTrigger(node, tags);
    if (trigger === undefined) return Outcome.NOT_APPLICABLE;
    const reference = tags[PrivacyTagKeys.RISK_ASSESSMENT];
    if (reference !== undefined && reference.trim().length > 0) return Outcome.COMPLIANT;
    index.note(`trigger: ${trigger}`);
    return Outcome.NON_COMPLIANT;
  },
};
