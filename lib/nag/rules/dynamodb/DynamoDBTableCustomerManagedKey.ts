import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asArray, asBool, describeValue } from '../../private/cfn-values';
import { Cites, Risk } from '../../private/citations';
import { customerManagedKeyOutcome, worst } from '../../private/keys';
import { CcpaRule, Outcome } from '../../private/rule';

/** SSE with a customer-managed KMS key on every in-scope table (every replica of a global table). */
export const DynamoDBTableCustomerManagedKey: CcpaRule = {
  id: 'DynamoDBTableCustomerManagedKey',
  service: 'dynamodb',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'],
  what: 'An in-scope DynamoDB table (a global table replica, a SAM AWS::Serverless::SimpleTable) is not encrypted with a customer-managed KMS key (the AWS owned and AWS managed aws/dynamodb keys do not count); no SCP condition key can enforce this.',
  cites: Cites.ENCRYPTION,
  risk: Risk.CMK,
  fix: 'Use PrivacyTable, or set encryption: TableEncryption.CUSTOMER_MANAGED with encryptionKey: a PrivacyKey (TableV2: TableEncryptionV2.customerManagedKey(key); L1: SSESpecification SSEEnabled true, SSEType KMS, KMSMasterKeyId).',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!this.resourceTypes.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    const sse = props.SSESpecification;
    if (index.anyUnknown({ 'SSESpecification': sse, 'SSESpecification.SSEEnabled': sse?.SSEEnabled, 'SSESpecification.SSEType': sse?.SSEType })) return Outcome.CANNOT_VERIFY;
    if (asBool(sse?.SSEEnabled) !== true || (sse.SSEType !== undefined && sse.SSEType !== 'KMS')) {
      index.note(`SSESpecification = ${describeValue(sse)}`);
      return Outcome.NON_COMPLIANT;
    }
    if (node.cfnResourceType !== 'AWS::DynamoDB::GlobalTable') {
      return customerManagedKeyOutcome('SSESpecification.KMSMasterKeyId', sse.KMSMasterKeyId, node, index);
    }
    const replicas = asArray(props.Replicas);
    if (replicas.length === 0) return Outcome.NON_COMPLIANT;
    return worst(...replicas.map((r) => customerManagedKeyOutcome('Replicas[].SSESpecification.KMSMasterKeyId', r?.SSESpecification?.KMSMasterKeyId, node, index)));
  },
};
