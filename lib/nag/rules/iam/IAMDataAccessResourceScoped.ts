import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, CfnValue, ifVariants, isIntrinsic, renderParts, statementsOf } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { worst } from '../../private/keys';
import { awsManagedPolicy } from '../../private/managed-policies';
import {
  Breadth, DYNAMODB_DATA_ACTIONS, grantedActions, IDENTITY_POLICY_TYPES, identityPolicyDocuments, KMS_DATA_ACTIONS, narrowsResources, resourceBreadth,
  S3_DATA_ACTIONS,
} from '../../private/policy';
import { CcpaRule, Outcome } from '../../private/rule';

const DATA_ACTIONS = [...S3_DATA_ACTIONS, ...DYNAMODB_DATA_ACTIONS, ...KMS_DATA_ACTIONS];

/**
 * One statement (its `Fn::If` choices already made):
 *
 * | statement | outcome |
 * | --- | --- |
 * | not Allow, or grants no data action | COMPLIANT |
 * | Effect, Action or NotAction a token (and no literal action already grants data) | CANNOT_VERIFY |
 * | a condition that narrows it to some resources or data (`narrowsResources`) | COMPLIANT |
 * | NotResource | NON_COMPLIANT |
 * | a Resource that is broad in effect for the granted services (`resourceBreadth`) | NON_COMPLIANT |
 * | a Resource the index cannot render | CANNOT_VERIFY |
 */
function statementOutcome(s: CfnValue, node: CfnResource, index: AppIndex, where: string): Outcome {
  if (!s || typeof s !== 'object' || isIntrinsic(s)) return index.unknown(`${where}.Statement`, s);
  if (typeof s.Effect !== 'string') return index.unknown(`${where}.Statement.Effect`, s.Effect);
  const field = s.NotAction !== undefined ? 'NotAction' : 'Action';
  const tokens = asArray(s[field]).filter((a) => typeof a !== 'string');
  const granted = grantedActions(s, DATA_ACTIONS);
  if (granted.length === 0) return tokens.length > 0 && s.Effect === 'Allow' ? index.unknown(`${where}.Statement.${field}`, s[field]) : Outcome.COMPLIANT;
  if (field === 'NotAction' && tokens.length > 0) return index.unknown(`${where}.Statement.NotAction`, s.NotAction);
  if (narrowsResources(s)) return Outcome.COMPLIANT;
  if (isIntrinsic(s.Condition)) return index.unknown(`${where}.Statement.Condition`, s.Condition);
  if (s.NotResource !== undefined) return Outcome.NON_COMPLIANT;
  const services = new Set(granted.map((a) => a.split(':')[0].toLowerCase()));
  let unknown = false;
  for (const r of asArray(s.Resource)) {
    const parts = index.parts(r, node);
    if (parts.some((p) => p.kind === 'unknown')) {
      unknown = true;
      index.unknown(`${where}.Statement.Resource`, r);
      continue;
    }
    if (resourceBreadth(parts, services) === Breadth.BROAD) return Outcome.NON_COMPLIANT;
  }
  return unknown ? Outcome.CANNOT_VERIFY : Outcome.COMPLIANT;
}

/** A policy document, each `Fn::If` taken both ways. */
function documentOutcome(document: CfnValue, node: CfnResource, index: AppIndex, where: string): Outcome {
  const variants = ifVariants(document);
  if (!variants) return index.unknown(where, document);
  const outcomes: Outcome[] = [];
  for (const v of variants) {
    if (v !== undefined && (typeof v !== 'object' || isIntrinsic(v))) return index.unknown(where, v);
    outcomes.push(...statementsOf(v).map((s) => statementOutcome(s, node, index, where)));
    if (v && v.Statement !== undefined && !Array.isArray(v.Statement) && (typeof v.Statement !== 'object' || isIntrinsic(v.Statement))) outcomes.push(index.unknown(`${where}.Statement`, v.Statement));
  }
  return worst(Outcome.COMPLIANT, ...outcomes);
}

/**
 * One entry of `ManagedPolicyArns`: a managed policy of the app is checked on its own resource;
 * an AWS managed policy by the statements of the table in managed-policies.ts; anything else
 * (an AWS managed policy not in the table, a customer managed policy of another app, a
 * parameter) cannot be verified.
 */
function managedPolicyOutcome(arn: CfnValue, node: CfnResource, index: AppIndex): Outcome {
  const t = index.target(arn, node);
  if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::IAM::ManagedPolicy') return Outcome.COMPLIANT;
  const parts = index.parts(arn, node);
  if (parts.some((p) => p.kind !== 'text' && p.kind !== 'pseudo')) return index.unknown('ManagedPolicyArns', arn);
  const managed = awsManagedPolicy(renderParts(parts));
  if (managed.kind !== 'aws-known') return index.unknown('ManagedPolicyArns', arn);
  return worst(Outcome.COMPLIANT, ...managed.statements.map((s) => statementOutcome(s, node, index, `ManagedPolicyArns ${managed.name}`)));
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
  fix: 'Grant on the bucket/table/key ARNs the workload needs (bucket.grantRead(role), table.grantReadData(role)) instead of AWS managed policies such as AmazonS3ReadOnlyAccess, or narrow the statement with a condition on the resource (StringEquals aws:ResourceTag/privacy:classification, s3:prefix, dynamodb:LeadingKeys, kms:ViaService); transport, network and caller conditions (aws:SecureTransport, aws:SourceIp, aws:PrincipalTag) leave every resource reachable.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!IDENTITY_POLICY_TYPES.includes(node.cfnResourceType)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const documents = node.cfnResourceType === 'AWS::IAM::Role' || node.cfnResourceType === 'AWS::IAM::User' || node.cfnResourceType === 'AWS::IAM::Group'
      ? asArray(props.Policies).map((p, i): [string, CfnValue] => [`Policies[${i}].PolicyDocument`, p?.PolicyDocument]).filter(([, d]) => d !== undefined)
      : identityPolicyDocuments(node.cfnResourceType, props).map((d): [string, CfnValue] => ['PolicyDocument', d]);
    return worst(
      Outcome.COMPLIANT,
      ...documents.map(([where, d]) => documentOutcome(d, node, index, where)),
      ...asArray(props.ManagedPolicyArns).map((arn) => managedPolicyOutcome(arn, node, index)),
    );
  },
};
