import { Arn, ArnFormat, CfnResource, IResource, Stack, Tags, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { checkKey } from './store-props';
import { PrivacyPrincipal } from '../../classification/privacy-principal';
import { DataClassification, PrivacyTagKeys } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';
import { PropsValidator } from '../../private/validation';
import { viaServiceName } from '../../private/via-service';

/**
 * What a DSR role does with an existing store's key, through the store's service only: decrypt
 * what it reads, encrypt what it corrects (S3 PutObject, DynamoDB UpdateItem), describe it.
 */
export const EXISTING_KEY_DSR_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The text of a key ARN as synth sees it (tokens resolved to their CloudFormation form). */
function keyArnText(scope: IConstruct, key: kms.IKey): string {
  const arn = key.keyArn;
  return Token.isUnresolved(arn) ? JSON.stringify(Stack.of(scope).resolve(arn)) : arn;
}

/**
 * Refuse what cannot be the key of an existing personal data store: an alias (an AWS managed key
 * is only reachable by its `alias/aws/...`; a customer alias cannot be granted on), or a PrivacyKey
 * classified below the store. A key by ARN is accepted: whether it is customer-managed and what its
 * policy allows is known only in the account (the store's AWS Config rules check which key encrypts it).
 */
export function checkExistingKey(
  v: PropsValidator, scope: IConstruct, key: kms.IKey | undefined, classification: DataClassification, service: string,
): void {
  if (key === undefined) {
    v.fail('EncryptionKeyMissing', `encryptionKey is missing: pass the customer-managed key the existing ${service} data is encrypted under, e.g. kms.Key.fromKeyArn(this, 'Key', '<key ARN>'); the DSR role is granted its use.`);
    return;
  }
  const aliasName = (key as Partial<kms.IAlias>).aliasName;
  const text = typeof aliasName === 'string' && !Token.isUnresolved(aliasName) ? aliasName : keyArnText(scope, key);
  const awsManaged = /(^|[:"/])alias\/aws\//.test(text);
  v.check(awsManaged, 'AwsManagedKeyRefused',
    `encryptionKey ${text} is an AWS managed key, whose key policy lets every principal of the account decrypt through ${service} and cannot be changed, so no grant limits who reads the data (an AWS owned key is not in the account at all and cannot be granted per role either): re-encrypt the store under a customer-managed key (${service === 'dynamodb' ? 'UpdateTable SSESpecification SSEType KMS with KMSMasterKeyId' : 'PutBucketEncryption SSE-KMS with the key, then copy the objects in place'}) and pass that key by its ARN.`);
  v.check(!awsManaged && (aliasName !== undefined || /(^|[:"])alias\//.test(text)), 'KeyAliasRefused',
    `encryptionKey ${text} is an alias: KMS evaluates IAM policies against the key ARN (aws-cdk-lib drops grants on an imported alias), so the DSR role would get no use of the key: pass the key by its ARN, kms.Key.fromKeyArn(this, 'Key', 'arn:aws:kms:<region>:<account>:key/<key id>').`);
  if (key instanceof PrivacyKey) {
    checkKey(v, key, classification);
  }
}

/**
 * Grant a DSR role use of an existing store's key. A PrivacyKey: `grantToDsrWorkflow` (its key
 * policy admits roles tagged `privacy:workflow=dsr`). Any other key: an identity-policy statement
 * limited to `kms:ViaService` of the store's service, and the role tagged `privacy:workflow=dsr`;
 * the key policy must let the account's IAM policies grant it (the default key policy does).
 */
export function grantExistingKeyToDsr(scope: Construct, key: kms.IKey, grantee: iam.IGrantable, service: string): iam.Grant {
  if (key instanceof PrivacyKey) {
    return key.grantToDsrWorkflow(grantee);
  }
  const principal = grantee.grantPrincipal;
  if (principal instanceof iam.Role || principal instanceof iam.User) {
    PrivacyPrincipal.tag(principal, { dsrWorkflow: true });
  }
  return iam.Grant.addToPrincipal({
    grantee,
    actions: EXISTING_KEY_DSR_ACTIONS,
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': viaServiceName(Stack.of(scope), service) } },
  });
}

/** One AWS Config managed rule that checks a declared setting of one existing resource in the account. */
export interface AccountCheck {
  /** Construct id of the rule. */
  readonly id: string;
  /** The managed rule's source identifier. */
  readonly identifier: string;
  /** What it verifies, in words (the inventory and the rule's description show it). */
  readonly verifies: string;
  /** Input parameters. */
  readonly parameters?: Record<string, string>;
}

/**
 * The AWS Config managed rules that verify an existing store's declared settings, scoped to that
 * one resource (`ComplianceResourceId` with its one type). They need a configuration recorder in
 * the account and region (Control Tower and Security Hub set one up).
 */
export function addAccountChecks(scope: Construct, resourceType: string, resourceId: string, checks: AccountCheck[]): config.CfnConfigRule[] {
  return checks.map((c) => new config.CfnConfigRule(scope, c.id, {
    description: `cdk-ccpa: ${c.verifies} (declared by ${scope.node.path})`.slice(0, 256),
    source: { owner: 'AWS', sourceIdentifier: c.identifier },
    scope: { complianceResourceTypes: [resourceType], complianceResourceId: resourceId },
    ...(c.parameters ? { inputParameters: c.parameters } : {}),
  }));
}

/** How the declarations name a key: its ARN when literal, else its construct path. */
export function describeKey(key: kms.IKey): string {
  return Token.isUnresolved(key.keyArn) ? `the key ${key.node.path}` : `the key ${key.keyArn}`;
}

/** The AWS Config rules are not personal data stores: keep the store's privacy tags off them. */
export function untagRules(rules: config.CfnConfigRule[]): void {
  for (const rule of rules) {
    for (const key of [PrivacyTagKeys.CLASSIFICATION, PrivacyTagKeys.DATA_CATEGORIES, PrivacyTagKeys.TENANCY, PrivacyTagKeys.DSR,
      PrivacyTagKeys.OWNER, PrivacyTagKeys.PURPOSES, PrivacyTagKeys.RETENTION_DAYS, PrivacyTagKeys.RETENTION_REASON]) {
      Tags.of(rule).remove(key, { priority: 1000 });
    }
  }
}

/**
 * The L1 of a table or bucket defined in this app (a `dynamodb.Table` or `s3.Bucket` construct,
 * not an import): the existing store then tags it, so that CcpaChecks checks its settings at synth
 * and the inventory lists it once, as this store.
 */
export function inAppResource(resource: IConstruct): CfnResource | undefined {
  const child = resource.node.defaultChild;
  return child !== undefined && CfnResource.isCfnResource(child) ? child : undefined;
}

/**
 * AWS Config evaluates resources of its own account and region only: a rule scoped to a store of
 * another account or region would never report. Refuse that rather than pass in silence.
 */
export function checkAccountChecksReach(v: PropsValidator, scope: IConstruct, resource: IResource, arn: string, verify: boolean, prop: string): void {
  if (!verify) return;
  const stack = Stack.of(scope);
  // an import by ARN keeps the stack's env (aws-cdk-lib): the ARN says where the resource is
  const parsed = Token.isUnresolved(arn) ? undefined : Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  const account = parsed?.account || resource.env.account;
  const region = parsed?.region || resource.env.region;
  for (const [what, theirs, ours] of [['account', account, stack.account], ['region', region, stack.region]] as const) {
    v.check(!Token.isUnresolved(theirs) && !Token.isUnresolved(ours) && theirs !== ours, `StoreIn${what === 'account' ? 'Account' : 'Region'}Elsewhere`,
      `${prop} is in ${what} ${theirs} but this stack deploys to ${ours}, where AWS Config rules cannot evaluate it: register it from a stack in ${theirs} (its grants reach a role of this ${what} only if its resource policy and key policy allow them), or set verifyInAccount false (the inventory then says "declared, not verified").`);
  }
}
