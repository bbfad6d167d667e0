import { CfnCondition, CfnOutput, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AdversarialCase, runCases } from './kit';
import { DataClassification, PrivacyClassification } from '../../../lib/classification';
import { PrivacyKey } from '../../../lib/encryption';

const D = 'KMSKeyPolicyDecryptConditioned';
const W = 'KMSKeyNoWildcardPrincipal';
const ROOT = 'arn:aws:iam::111111111111:root';
const ENV = { env: { account: '111111111111', region: 'us-east-1' } };

/** An L1 key whose policy is the given statements (rotation on, so only the policy rules speak). */
function key(s: Stack, ...statements: unknown[]): kms.CfnKey {
  return new kms.CfnKey(s, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: statements } });
}
const admin = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:CreateAlias', 'kms:Describe*', 'kms:Put*', 'kms:ScheduleKeyDeletion'], Resource: '*' };
const decrypt = (principal: unknown, condition?: unknown, extra: Record<string, unknown> = {}) =>
  ({ Effect: 'Allow', Principal: principal, Action: ['kms:Decrypt'], Resource: '*', ...(condition ? { Condition: condition } : {}), ...extra });
const both = (path = 'Test/Key') => [`CCPA-${D} at ${path}`, `CCPA-${W} at ${path}`];

/** Condition semantics: the operator and the value matter, not the key alone. */
const conditions: AdversarialCase[] = [
  {
    name: 'GIVEN Principal * with StringLike kms:CallerAccount "*" THEN both rules',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt('*', { StringLike: { 'kms:CallerAccount': '*' } })); },
    expect: both(),
  },
  {
    name: 'GIVEN Principal * with StringNotEquals aws:PrincipalAccount <another account> THEN both rules',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: '*' }, { StringNotEquals: { 'aws:PrincipalAccount': '222222222222' } })); },
    expect: both(),
  },
  {
    name: 'GIVEN the account principal with kms:CallerAccount = its own account THEN account-wide decrypt (DecryptConditioned)',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: ROOT }, { StringEquals: { 'kms:CallerAccount': '111111111111' } }, { Action: 'kms:*' })); },
    expect: [`CCPA-${D} at Test/Key`],
  },
  {
    name: 'GIVEN the account principal with aws:PrincipalAccount = its own account THEN account-wide decrypt',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } })); },
    expect: [`CCPA-${D} at Test/Key`],
  },
  {
    name: 'GIVEN decrypt only with aws:SecureTransport true THEN DecryptConditioned (transport limits nobody)',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: ROOT }, { Bool: { 'aws:SecureTransport': 'true' } })); },
    expect: [`CCPA-${D} at Test/Key`],
  },
  {
    name: 'GIVEN decrypt limited to principals tagged privacy:access and kms:ViaService THEN no finding',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: ROOT }, { StringEquals: { 'aws:PrincipalTag/privacy:access': 'personal', 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })); },
    expect: [],
  },
  {
    name: 'GIVEN decrypt with StringEqualsIfExists aws:PrincipalTag (untagged callers pass) THEN DecryptConditioned',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: ROOT }, { StringEqualsIfExists: { 'aws:PrincipalTag/privacy:access': 'personal' } })); },
    expect: [`CCPA-${D} at Test/Key`],
  },
  {
    name: 'GIVEN the default key policy of kms.Key THEN DecryptConditioned (the account may kms:*)',
    rules: [D, W],
    build: (s) => { new kms.Key(s, 'Key', { enableKeyRotation: true }); },
    expect: [`CCPA-${D} at Test/Key/Resource`],
  },
  {
    name: 'GIVEN a PrivacyKey THEN no finding',
    rules: [D, W],
    build: (s) => { new PrivacyKey(s, 'Key'); },
    expect: [],
  },
];

/** Principals: NotPrincipal, wildcards inside ARNs, organizations, intrinsics. */
const principals: AdversarialCase[] = [
  {
    name: 'GIVEN Allow with NotPrincipal (everyone but one role) THEN both rules',
    rules: [D, W],
    build: (s) => { key(s, admin, { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111111111111:role/Blocked' }, Action: 'kms:Decrypt', Resource: '*' }); },
    expect: both(),
  },
  {
    name: 'GIVEN Principal arn:aws:iam::*:root THEN both rules',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: 'arn:aws:iam::*:root' })); },
    expect: both(),
  },
  {
    name: 'GIVEN Principal * limited to one organization (aws:PrincipalOrgID o-...) THEN organization-wide decrypt (DecryptConditioned only)',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })); },
    expect: [`CCPA-${D} at Test/Key`],
  },
  {
    name: 'GIVEN Principal * with StringLike aws:PrincipalOrgID "*" (any organization) THEN both rules',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt('*', { StringLike: { 'aws:PrincipalOrgID': '*' } })); },
    expect: both(),
  },
  {
    name: 'GIVEN a Principal from a parameter THEN NoWildcardPrincipal cannot verify it; the unconditioned decrypt is an error',
    rules: [D, W],
    build: (s) => { key(s, admin, decrypt({ AWS: new CfnParameter(s, 'Reader').valueAsString })); },
    expect: [`CCPA-${D} at Test/Key`, `CCPA-${W}[CannotVerify] at Test/Key`],
  },
  {
    name: 'GIVEN a Deny for Principal * THEN no finding',
    rules: [D, W],
    build: (s) => { key(s, admin, { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }); },
    expect: [],
  },
];

/** Grants: a grant lets its grantee decrypt. */
const grants: AdversarialCase[] = [
  {
    name: 'GIVEN kms:CreateGrant for the account without a condition THEN DecryptConditioned',
    rules: [D],
    build: (s) => { key(s, admin, { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:CreateGrant', Resource: '*' }); },
    expect: [`CCPA-${D} at Test/Key`],
  },
  {
    name: 'GIVEN kms:CreateGrant only for AWS resources (kms:GrantIsForAWSResource true) THEN no finding',
    rules: [D],
    build: (s) => { key(s, admin, { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }); },
    expect: [],
  },
  {
    name: 'GIVEN kms:Create* (which includes CreateGrant) for the account THEN DecryptConditioned',
    rules: [D],
    build: (s) => { key(s, { ...admin, Action: ['kms:Create*', 'kms:Describe*'] }); },
    expect: [`CCPA-${D} at Test/Key`],
  },
];

/** Intrinsics: Fn::If and a whole policy from a parameter. */
const intrinsics: AdversarialCase[] = [
  {
    name: 'GIVEN an open decrypt statement inside Fn::If THEN both rules (one branch is open)',
    rules: [D, W],
    build: (s) => {
      const c = new CfnCondition(s, 'Shared', { expression: Fn.conditionEquals(new CfnParameter(s, 'Share').valueAsString, 'yes') });
      key(s, admin, Fn.conditionIf(c.logicalId, decrypt('*'), Fn.ref('AWS::NoValue')));
    },
    expect: both(),
  },
  {
    name: 'GIVEN an Action from a parameter for Principal * THEN DecryptConditioned cannot verify it; NoWildcardPrincipal reports the open principal',
    rules: [D, W],
    build: (s) => { key(s, admin, { Effect: 'Allow', Principal: '*', Action: new CfnParameter(s, 'Action').valueAsString, Resource: '*' }); },
    expect: [`CCPA-${D}[CannotVerify] at Test/Key`, `CCPA-${W} at Test/Key`],
  },
];

/** A key linked to a personal store only through an alias is still that store's key. */
const aliases: AdversarialCase[] = [
  {
    name: 'GIVEN a key classified non-personal that a bucket uses through the literal alias name THEN in scope (DecryptConditioned)',
    rules: [D],
    build: (s) => {
      const k = new kms.Key(s, 'Key', { enableKeyRotation: true });
      PrivacyClassification.apply(k, { classification: DataClassification.NON_PERSONAL });
      new kms.CfnAlias(s, 'Alias', { aliasName: 'alias/orders', targetKeyId: k.keyId });
      new s3.Bucket(s, 'Orders', { encryption: s3.BucketEncryption.KMS, encryptionKey: kms.Alias.fromAliasName(s, 'ByName', 'alias/orders') });
    },
    expect: [`CCPA-${D} at Test/Key/Resource`],
  },
  {
    name: 'GIVEN the same through an alias ARN in an L1 topic THEN in scope',
    rules: [D],
    build: (s) => {
      const k = new kms.Key(s, 'Key', { enableKeyRotation: true });
      PrivacyClassification.apply(k, { classification: DataClassification.NON_PERSONAL });
      new kms.Alias(s, 'Alias', { aliasName: 'alias/notifications', targetKey: k });
      new sns.CfnTopic(s, 'Topic', { kmsMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/notifications' });
    },
    expect: [`CCPA-${D} at Test/Key/Resource`],
    stackProps: ENV,
  },
  {
    name: 'GIVEN a non-personal key whose alias another stack imports for a personal bucket THEN in scope',
    rules: [D],
    build: (s, app) => {
      const k = new kms.Key(s, 'Key', { enableKeyRotation: true });
      PrivacyClassification.apply(k, { classification: DataClassification.NON_PERSONAL });
      const alias = new kms.Alias(s, 'Alias', { aliasName: 'alias/shared', targetKey: k });
      new CfnOutput(s, 'AliasName', { value: alias.aliasName, exportName: 'SharedKeyAlias' });
      const data = new Stack(app, 'Data');
      new s3.CfnBucket(data, 'Bucket', {
        bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: Fn.importValue('SharedKeyAlias') } }] },
      });
    },
    expect: [`CCPA-${D} at Test/Key/Resource`],
  },
  {
    name: 'GIVEN a non-personal key no personal store uses THEN not checked',
    rules: [D],
    build: (s) => {
      const k = new kms.Key(s, 'Key', { enableKeyRotation: true });
      PrivacyClassification.apply(k, { classification: DataClassification.NON_PERSONAL });
      new kms.Alias(s, 'Alias', { aliasName: 'alias/build-artifacts', targetKey: k });
    },
    expect: [],
  },
];

describe('KMS: condition semantics', () => runCases(conditions));
describe('KMS: principals', () => runCases(principals));
describe('KMS: grants', () => runCases(grants));
describe('KMS: intrinsics', () => runCases(intrinsics));
describe('KMS: keys reached through aliases', () => runCases(aliases));
