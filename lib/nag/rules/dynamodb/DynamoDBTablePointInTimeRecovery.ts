import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asBool } from '../../private/cfn-values';
import { Risk } from '../../private/citations';
import { worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** PITR on every in-scope table (every replica of a global table). */
export const DynamoDBTablePointInTimeRecovery: CcpaRule = {
  id: 'DynamoDBTablePointInTimeRecovery',
  service: 'dynamodb',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'],
  what: 'An in-scope DynamoDB table (or a replica of a global table) does not have point-in-time recovery enabled; a SAM AWS::Serverless::SimpleTable cannot enable it at all.',
  cites: ['ccr-7123(c)(18)', 'civ-1798.81.5(b)'],
  choice: 'Point-in-time recovery is the library\'s choice of backup for tables (PrivacyTable keeps the 35 days DynamoDB allows at most): the law asks for backups and recovery, not this mechanism, and bounds no backup period; a restore must replay deletion tombstones (11 CCR § 7022(d) lets deletion wait until a backup is restored).',
  risk: Risk.DDB_PITR,
  fix: 'Use PrivacyTable, or set pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } (TableV2: on every replica); bound the recovery period and replay deletion tombstones after a restore.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    if (node.cfnResourceType === 'AWS::Serverless::SimpleTable') {
      index.note('AWS::Serverless::SimpleTable has no PointInTimeRecoverySpecification: declare an AWS::DynamoDB::Table instead');
      return Outcome.NON_COMPLIANT;
    }
    const props = index.props(node);
    const specs = node.cfnResourceType === 'AWS::DynamoDB::Table'
      ? [props.PointInTimeRecoverySpecification]
      : asArray(props.Replicas).map((r) => r?.PointInTimeRecoverySpecification);
    if (specs.length === 0) return Outcome.NON_COMPLIANT;
    return worst(...specs.map((s) => {
      const enabled = s?.PointInTimeRecoveryEnabled;
      if (index.anyUnknown({ 'PointInTimeRecoverySpecification': s, 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled': enabled })) return Outcome.CANNOT_VERIFY;
      return asBool(enabled) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
    }));
  },
};
