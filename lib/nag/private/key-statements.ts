import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { asArray, CfnValue, ifVariants, isIntrinsic, statementsOf } from './cfn-values';
import { keyInScope } from './key-scope';
import { worst } from './keys';
import { conditionEntries, grantedActions, restricts } from './policy';
import { Outcome } from './rule';

/** Who an Allow statement of a key policy reaches. */
export enum Reach {
  /** Named principals: accounts, roles, users, services. */
  NAMED = 'named',
  /** Anyone: Principal "*", a principal ARN with a wildcard, or NotPrincipal (everyone but some). */
  ANYONE = 'anyone',
  /** A principal the index cannot render. */
  UNKNOWN = 'unknown',
}

/** Whether a principal element reaches anyone (see Reach). */
export function principalReach(statement: CfnValue, from: CfnResource, index: AppIndex): Reach {
  if (statement.NotPrincipal !== undefined) return Reach.ANYONE;
  const principal = statement.Principal;
  if (principal === '*') return Reach.ANYONE;
  if (!principal || typeof principal !== 'object' || isIntrinsic(principal)) return Reach.UNKNOWN;
  let unknown = false;
  for (const values of Object.values(principal)) {
    for (const v of asArray(values)) {
      const parts = index.parts(v, from);
      if (parts.some((p) => p.kind === 'unknown')) { unknown = true; continue; }
      if (parts.some((p) => p.kind === 'text' && /[*?]/.test(p.text))) return Reach.ANYONE;
    }
  }
  return unknown ? Reach.UNKNOWN : Reach.NAMED;
}

/**
 * Condition keys that limit a statement for anyone to an account, an organization, principal
 * ARNs or AWS services acting for a source: enough to make a wildcard principal not "anyone"
 * (KMSKeyNoWildcardPrincipal), each only with a restricting operator and value (`restricts`).
 */
const ACCOUNT_LIMITING_KEYS = new Set([
  'aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn', 'kms:calleraccount',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:principalservicename',
]);

/**
 * Condition keys that limit decryption to some principals inside an account or to some uses of
 * the key (principal tags and ARNs, the service and encryption context it is used through, the
 * AWS resource a grant is for, the source an AWS service acts for). An account or organization
 * alone (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID) still lets every principal
 * in it decrypt; transport and network keys limit nobody.
 */
const DECRYPT_LIMITING_KEYS = [
  /^aws:principaltag\//, /^aws:principalarn$/, /^aws:userid$/, /^kms:viaservice$/, /^kms:encryptioncontext:/,
  /^kms:encryptioncontextkeys$/, /^kms:grantisforawsresource$/, /^kms:granteeprincipal$/, /^aws:sourcearn$/, /^aws:sourceaccount$/,
  /^aws:principalservicename$/,
];

/** KMS operations that decrypt, or let a grantee decrypt. */
const DECRYPTING_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant'];

/** The key policy's statements, each Fn::If taken both ways; undefined when the policy is a token (recorded on the index). */
function keyPolicyStatements(node: CfnResource, index: AppIndex): CfnValue[] | undefined {
  const policy = index.props(node).KeyPolicy;
  if (isIntrinsic(policy)) {
    index.unknown('KeyPolicy', policy);
    return undefined;
  }
  let document: CfnValue;
  try {
    document = typeof policy === 'string' ? JSON.parse(policy) : policy;
  } catch {
    index.unknown('KeyPolicy (not JSON)', policy);
    return undefined;
  }
  const variants = ifVariants(document);
  if (!variants) {
    index.unknown('KeyPolicy', document);
    return undefined;
  }
  return variants.flatMap(statementsOf);
}

/** The literal actions of a statement, or undefined (recorded) when Effect or an action is a token. */
function knownStatement(s: CfnValue, index: AppIndex): boolean {
  if (isIntrinsic(s)) return !index.unknown('KeyPolicy.Statement', s);
  if (typeof s.Effect !== 'string') return !index.unknown('KeyPolicy.Statement.Effect', s.Effect);
  const field = s.NotAction !== undefined ? 'NotAction' : 'Action';
  if (asArray(s[field]).some((a) => typeof a !== 'string')) return !index.unknown(`KeyPolicy.Statement.${field}`, s[field]);
  return true;
}

/**
 * The worst outcome of `judge` over the statements of an in-scope key's policy; `noPolicy` when
 * the key has none (the KMS default policy).
 */
function eachStatement(node: CfnResource, index: AppIndex, noPolicy: Outcome, judge: (s: CfnValue) => Outcome): Outcome {
  if (!keyInScope(node, index)) return Outcome.NOT_APPLICABLE;
  if (index.props(node).KeyPolicy === undefined) return noPolicy;
  const statements = keyPolicyStatements(node, index);
  if (!statements) return Outcome.CANNOT_VERIFY;
  return worst(Outcome.COMPLIANT, ...statements.map(judge));
}

/**
 * KMSKeyPolicyDecryptConditioned: every Allow statement that lets someone decrypt (Decrypt,
 * ReEncryptFrom, or CreateGrant, which lets the grantee decrypt) carries a condition that limits
 * it to some principals or uses (DECRYPT_LIMITING_KEYS, with a restricting operator and value).
 * No KeyPolicy: the KMS default policy, which lets the account do kms:*.
 */
export function decryptConditionedOutcome(node: CfnResource, index: AppIndex): Outcome {
  return eachStatement(node, index, Outcome.NON_COMPLIANT, (s) => {
    if (!knownStatement(s, index)) return Outcome.CANNOT_VERIFY;
    if (grantedActions(s, DECRYPTING_ACTIONS).length === 0) return Outcome.COMPLIANT;
    const limited = conditionEntries(s).some((c) => DECRYPT_LIMITING_KEYS.some((re) => re.test(c.key.toLowerCase())) && restricts(c, s));
    return limited ? Outcome.COMPLIANT : Outcome.NON_COMPLIANT;
  });
}

/**
 * KMSKeyNoWildcardPrincipal: no Allow statement reaches anyone (Reach.ANYONE) unless a condition
 * limits it to an account, organization, principal ARN or AWS service source
 * (ACCOUNT_LIMITING_KEYS, with a restricting operator and value: `StringLike aws:PrincipalOrgID
 * "*"` or `StringNotEquals aws:PrincipalAccount <other>` limit nothing).
 */
export function noWildcardPrincipalOutcome(node: CfnResource, index: AppIndex): Outcome {
  return eachStatement(node, index, Outcome.COMPLIANT, (s) => {
    if (isIntrinsic(s)) return index.unknown('KeyPolicy.Statement', s);
    if (typeof s.Effect !== 'string') return index.unknown('KeyPolicy.Statement.Effect', s.Effect);
    if (s.Effect !== 'Allow') return Outcome.COMPLIANT;
    const reach = principalReach(s, node, index);
    if (reach === Reach.NAMED) return Outcome.COMPLIANT;
    const limited = conditionEntries(s).some((c) => ACCOUNT_LIMITING_KEYS.has(c.key.toLowerCase()) && restricts(c, s));
    if (limited) return Outcome.COMPLIANT;
    return reach === Reach.ANYONE ? Outcome.NON_COMPLIANT : index.unknown('KeyPolicy.Statement.Principal', s.Principal);
  });
}
