import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** Trails that record access to personal data set EnableLogFileValidation. */
export const CloudTrailLogFileValidation: CcpaRule = {
  id: 'CloudTrailLogFileValidation',
  service: 'cloudtrail',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::CloudTrail::Trail'],
  what: 'A trail does not enable log file validation (EnableLogFileValidation), so tampering with the audit record of personal-data access cannot be detected.',
  cites: Cites.TRAIL,
  risk: Risk.TRAIL,
  fix: 'Set enableFileValidation: true (IsolatedAuditTrail does).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::CloudTrail::Trail' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const value = index.props(node).EnableLogFileValidation;
    if (index.anyUnknown({ EnableLogFileValidation: value })) return Outcome.CANNOT_VERIFY;
    return asBool(value) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
