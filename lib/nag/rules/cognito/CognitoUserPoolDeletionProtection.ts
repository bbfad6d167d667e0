import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { describeValue } from '../../private/cfn-values';
import { CcpaRule, Outcome } from '../../private/rule';

/** Deletion protection on in-scope Cognito user pools. */
export const CognitoUserPoolDeletionProtection: CcpaRule = {
  id: 'CognitoUserPoolDeletionProtection',
  service: 'cognito',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Cognito::UserPool'],
  what: 'An in-scope Cognito user pool has no deletion protection (DeletionProtection is not ACTIVE): one stack update or API call deletes every user\'s account and data, with no backup to restore.',
  cites: ['ccr-7123(c)(18)', 'civ-1798.81.5(b)'],
  risk: 'A user pool has no backup or point-in-time recovery: deleting it by mistake destroys every consumer\'s account for good.',
  fix: 'Set deletionProtection: true (L1: DeletionProtection ACTIVE) and removalPolicy: RemovalPolicy.RETAIN.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPool' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const protection = index.props(node).DeletionProtection;
    if (index.anyUnknown({ DeletionProtection: protection })) return Outcome.CANNOT_VERIFY;
    if (protection === 'ACTIVE') return Outcome.COMPLIANT;
    index.note(`DeletionProtection = ${describeValue(protection)}`);
    return Outcome.NON_COMPLIANT;
  },
};
