import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { actionsOf, identityStatements } from '../../private/policy';
import { rolePolicies } from '../../private/role-policies';
import { CcpaRule, Outcome } from '../../private/rule';

const ADMIN_MANAGED_POLICY = /:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/** Whether a statement allows every action ('*', '*:*', or NotAction) on every resource. */
function isAdminStatement(s: { Effect?: string; Action?: unknown; NotAction?: unknown; Resource?: unknown }): boolean {
  if (s.Effect !== 'Allow') return false;
  const everything = s.NotAction !== undefined || actionsOf(s.Action).some((a) => a === '*' || a === '*:*');
  return everything && (s.Resource === undefined || asArray(s.Resource).includes('*'));
}

/** Roles that execute data subject requests get exactly what the workflow needs, never admin. */
export const IAMDsrRoleNotAdmin: CcpaRule = {
  id: 'IAMDsrRoleNotAdmin',
  service: 'iam',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::IAM::Role'],
  what: 'A role tagged privacy:workflow=dsr has administrator access: AdministratorAccess, PowerUserAccess or IAMFullAccess attached, or a policy (inline, attached or managed in the app) that allows "*" / "*:*" or NotAction on "*".',
  cites: Cites.LEAST_PRIVILEGE,
  risk: Risk.IAM_DSR,
  fix: 'Give the DSR workflow role only the data actions on the stores it serves (DsrWorkflow grants them per store through IPersonalDataStore).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::IAM::Role' || !index.taggedDsr(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    let unknown = false;
    const policies = [...(rolePolicies(index).get(node) ?? [])];
    for (const arn of asArray(props.ManagedPolicyArns)) {
      const t = index.target(arn, node);
      if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::IAM::ManagedPolicy') {
        policies.push(t.resource);
        continue;
      }
      const rendered = index.render(arn, node);
      if (ADMIN_MANAGED_POLICY.test(rendered)) return Outcome.NON_COMPLIANT;
      if (rendered.includes('{{')) unknown = true;
    }
    const statements = [
      ...identityStatements('AWS::IAM::Role', props),
      ...policies.flatMap((p) => identityStatements(p.cfnResourceType, index.props(p))),
    ];
    if (statements.some(isAdminStatement)) return Outcome.NON_COMPLIANT;
    return unknown ? Outcome.CANNOT_VERIFY : Outcome.COMPLIANT;
  },
};
