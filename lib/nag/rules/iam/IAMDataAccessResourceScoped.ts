import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import {
  DYNAMODB_DATA_ACTIONS, grantedActions, hasCondition, IDENTITY_POLICY_TYPES, identityStatements, KMS_DATA_ACTIONS, S3_DATA_ACTIONS,
} from '../../private/policy';
import { CcpaRule, Outcome } from '../../private/rule';

const DATA_ACTIONS = [...S3_DATA_ACTIONS, ...DYNAMODB_DATA_ACTIONS, ...KMS_DATA_ACTIONS];
/** The resource part of an ARN that names every resource of a service: a lone wildcard, or a type followed by a wildcard such as table/* or key/*. */
const WILDCARD_RESOURCE = /^(\*|[A-Za-z-]+\/\*|\*\/\*)$/;

/** Whether a rendered resource names every resource of the action's service. */
function wholeService(resource: string, service: string): boolean {
  if (resource === '*') return true;
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(resource);
  return m !== null && (m[1] === service || m[1] === '*') && WILDCARD_RESOURCE.test(m[2]);
}

/** Data actions on S3, DynamoDB and KMS are granted on named resources, or under a condition. */
export const IAMDataAccessResourceScoped: CcpaRule = {
  id: 'IAMDataAccessResourceScoped',
  service: 'iam',
  level: NagMessageLevel.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  what: 'An identity policy (inline, attached or AWS managed) allows S3, DynamoDB or KMS data actions on every resource in effect ("*", arn:*, a wildcard bucket, table or key name, NotResource) without a condition on the resource.',
  cites: Cites.LEAST_PRIVILEGE,
  risk: Risk.IAM_BROAD,
  fix: 'Grant on the bucket/table/key ARNs the workload needs (bucket.grantRead(role), table.grantReadData(role)), or add conditions (aws:ResourceTag/privacy:classification, aws:PrincipalTag/privacy:access).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!IDENTITY_POLICY_TYPES.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    let unknown = false;
    for (const s of identityStatements(node.cfnResourceType, index.props(node))) {
      const granted = grantedActions(s, DATA_ACTIONS);
      if (granted.length === 0 || hasCondition(s)) continue;
      if (s.NotResource !== undefined) return Outcome.NON_COMPLIANT;
      const services = new Set(granted.map((a) => a.split(':')[0].toLowerCase()));
      for (const r of asArray(s.Resource)) {
        const rendered = index.render(r, node);
        if ([...services].some((svc) => wholeService(rendered, svc))) return Outcome.NON_COMPLIANT;
        if (rendered.startsWith('{{?}}')) unknown = true;
      }
    }
    return unknown ? Outcome.CANNOT_VERIFY : Outcome.COMPLIANT;
  },
};
