import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { DsrCoverage } from '../../../classification/privacy-tag-keys';
import { AppIndex } from '../../private/app-index';
import { policyAttachments } from '../../private/role-policies';
import { CcpaRule, Outcome } from '../../private/rule';

/** The stores a DSR role of the app reaches: resources named in a policy attached to a role tagged privacy:workflow=dsr. */
function servedStores(index: AppIndex): Set<CfnResource> {
  return index.memo('dsr-served-stores', () => {
    const served = new Set<CfnResource>();
    for (const [policy, attachment] of policyAttachments(index)) {
      if (!attachment.roles.some((r) => index.taggedDsr(r))) continue;
      const props = index.props(policy);
      for (const r of index.referencedResources(props.PolicyDocument, policy)) served.add(r);
    }
    for (const role of index.resourcesOfType('AWS::IAM::Role')) {
      if (!index.taggedDsr(role)) continue;
      for (const p of [index.props(role).Policies].flat()) {
        if (p && typeof p === 'object') for (const r of index.referencedResources(p.PolicyDocument, role)) served.add(r);
      }
    }
    return served;
  });
}

/** A store tagged for DSR coverage that no DSR workflow of the app reaches. */
export const DsrCoveredStoreServed: CcpaRule = {
  id: 'DsrCoveredStoreServed',
  service: 'classification',
  level: NagMessageLevel.WARN,
  resourceTypes: [
    'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance',
    'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster', 'AWS::OpenSearchService::Domain', 'AWS::EFS::FileSystem',
  ],
  what: 'A store tagged privacy:dsr=covered is named in no policy of a role tagged privacy:workflow=dsr in the app: no DsrWorkflow of the app serves it, so requests to know or delete would miss it (a warning: the workflow may live in another app).',
  cites: ['civ-1798.105(c)(1)', 'civ-1798.130(a)(2)(A)'],
  risk: 'A store inventoried as covered by data subject requests that no workflow reaches keeps a consumer\'s data after a deletion request was answered as done.',
  fix: 'Pass the store in the stores of a DsrWorkflow of the app; if a workflow in another app serves it, acknowledge this finding with its name; if requests need not reach it, tag it privacy:dsr=exempt with the reason.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    if (index.classification(node).dsr !== DsrCoverage.COVERED) return Outcome.NOT_APPLICABLE;
    if (servedStores(index).has(node)) return Outcome.COMPLIANT;
    index.note('privacy:dsr = "covered", and no policy of a privacy:workflow=dsr role names the store');
    return Outcome.NON_COMPLIANT;
  },
};
