import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome, worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** SSE-KMS (or DSSE-KMS) with a customer-managed key on every in-scope bucket. */
export const S3BucketCustomerManagedKey: CcpaRule = {
  id: 'S3BucketCustomerManagedKey',
  service: 's3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  what: 'An in-scope S3 bucket is not encrypted with SSE-KMS (or DSSE-KMS) under a customer-managed KMS key (SSE-S3 and the AWS managed aws/s3 key do not count).',
  cites: Cites.ENCRYPTION,
  risk: Risk.S3_ENCRYPTION,
  fix: 'Use PersonalDataBucket, or set encryption: BucketEncryption.KMS with encryptionKey: a PrivacyKey (L1: ServerSideEncryptionByDefault SSEAlgorithm aws:kms with KMSMasterKeyID of an AWS::KMS::Key).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (node.cfnResourceType !== 'AWS::S3::Bucket' || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const encryption = index.props(node).BucketEncryption;
    if (index.anyUnknown({ BucketEncryption: encryption })) return Outcome.CANNOT_VERIFY;
    const configs = asArray(encryption?.ServerSideEncryptionConfiguration);
    if (configs.length === 0) return Outcome.NON_COMPLIANT;
    return worst(...configs.map((c) => {
      const d = c?.ServerSideEncryptionByDefault;
      if (index.anyUnknown({ 'ServerSideEncryptionByDefault': d, 'ServerSideEncryptionByDefault.SSEAlgorithm': d?.SSEAlgorithm })) return Outcome.CANNOT_VERIFY;
      if (d?.SSEAlgorithm !== 'aws:kms' && d?.SSEAlgorithm !== 'aws:kms:dsse') return Outcome.NON_COMPLIANT;
      return customerManagedKeyOutcome('ServerSideEncryptionByDefault.KMSMasterKeyID', d.KMSMasterKeyID, node, index);
    }));
  },
};
