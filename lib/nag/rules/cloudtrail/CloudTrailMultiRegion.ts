import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asBool } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { CcpaRule, Outcome } from '../../private/rule';

/** Trails that record access to personal data set IsMultiRegionTrail. */
export const CloudTrailMultiRegion: CcpaRule = {
  id: 'CloudTrailMultiRegion',
  service: 'cloudtrail',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::CloudTrail::Trail'],
  what: 'A trail is not multi-region (IsMultiRegionTrail), so access to personal data in other regions goes unrecorded.',
  cites: Cites.TRAIL,
  risk: Risk.TRAIL,
  fix: 'Set isMultiRegionTrail: true (IsolatedAuditTrail does).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::CloudTrail::Trail' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const value = index.props(node).IsMultiRegionTrail;
    if (index.anyUnknown({ IsMultiRegionTrail: value })) return Outcome.CANNOT_VERIFY;
    return asBool(value) === true ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  },
};
