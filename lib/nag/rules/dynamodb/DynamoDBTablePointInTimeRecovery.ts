import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asBool, isIntrinsic } from '../../private/cfn-values';
import { Cite, Pattern } from '../../private/citations';
import { worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** PITR on every in-scope table (every replica of a global table). */
export const DynamoDBTablePointInTimeRecovery: CcpaRule = {
  id: 'DynamoDBTablePointInTimeRecovery',
  service: 'dynamodb',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  what: 'An in-scope DynamoDB table (or a replica of a global table) does not have point-in-time recovery enabled.',
  citation: `${Cite.DELETE}; ${Cite.SECURITY} (availability and integrity)`,
  pattern: Pattern.DDB_PITR,
  fix: 'Use PrivacyTable, or set pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } (TableV2: on every replica); bound the recovery period and replay deletion tombstones after a restore.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const specs = node.cfnResourceType === 'AWS::DynamoDB::Table'
      ? [props.PointInTimeRecoverySpecification]
      : asArray(props.Replicas).map((r) => r?.PointInTimeRecoverySpecification);
    if (specs.length === 0) return Outcome.NON_COMPLIANT;
    return worst(...specs.map((s) => {
      const enabled = s?.PointInTimeRecoveryEnabled;
      if (isIntrinsic(s) || isIntrinsic(enabled)) return Outcome.CANNOT_VERIFY;
      return asBool(enabled) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
    }));
  },
};
