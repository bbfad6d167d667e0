import { CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataClassification, PrivacyClassification } from '../../../lib/classification';
import { PrivacyKey, PseudonymizationKey } from '../../../lib/encryption';
import { check, outcome } from '../helpers';

const pk = { name: 'id', type: dynamodb.AttributeType.STRING };

describe('DynamoDBTablePointInTimeRecovery', () => {
  test('GIVEN an L2 Table without PITR THEN non-compliant; with PITR THEN compliant', () => {
    expect(outcome(check((s) => { new dynamodb.Table(s, 'T', { partitionKey: pk }); }), 'DynamoDBTablePointInTimeRecovery', 'Test/T/Resource')).toBe('non-compliant');
    expect(outcome(check((s) => {
      new dynamodb.Table(s, 'T', { partitionKey: pk, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
    }), 'DynamoDBTablePointInTimeRecovery', 'Test/T/Resource')).toBe('clean');
  });
  test('GIVEN a TableV2 (GlobalTable) THEN checked per replica', () => {
    expect(outcome(check((s) => { new dynamodb.TableV2(s, 'G', { partitionKey: pk }); }), 'DynamoDBTablePointInTimeRecovery', 'Test/G/Resource')).toBe('non-compliant');
    expect(outcome(check((s) => {
      new dynamodb.TableV2(s, 'G', { partitionKey: pk, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
    }), 'DynamoDBTablePointInTimeRecovery', 'Test/G/Resource')).toBe('clean');
  });
  test('GIVEN an L1 CfnTable with PITR false THEN non-compliant', () => {
    expect(outcome(check((s) => {
      new dynamodb.CfnTable(s, 'L1', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }], pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } });
    }), 'DynamoDBTablePointInTimeRecovery', 'Test/L1')).toBe('non-compliant');
  });
});

describe('DynamoDBTableCustomerManagedKey', () => {
  test('GIVEN default (AWS owned) and AWS_MANAGED encryption THEN non-compliant; CUSTOMER_MANAGED THEN compliant', () => {
    const findings = check((s) => {
      new dynamodb.Table(s, 'Owned', { partitionKey: pk });
      new dynamodb.Table(s, 'Managed', { partitionKey: pk, encryption: dynamodb.TableEncryption.AWS_MANAGED });
      new dynamodb.Table(s, 'Cmk', { partitionKey: pk, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: new PrivacyKey(s, 'Key') });
    });
    expect(outcome(findings, 'DynamoDBTableCustomerManagedKey', 'Test/Owned/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'DynamoDBTableCustomerManagedKey', 'Test/Managed/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'DynamoDBTableCustomerManagedKey', 'Test/Cmk/Resource')).toBe('clean');
  });
  test('GIVEN a TableV2 with a customer-managed key THEN compliant; with the default THEN non-compliant', () => {
    const findings = check((s) => {
      new dynamodb.TableV2(s, 'Cmk', { partitionKey: pk, encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(s, 'Key', { enableKeyRotation: true })) });
      new dynamodb.TableV2(s, 'Owned', { partitionKey: pk });
    }, { env: { account: '111111111111', region: 'us-east-1' } }); // replica keys need a region
    expect(outcome(findings, 'DynamoDBTableCustomerManagedKey', 'Test/Cmk/Resource')).toBe('clean');
    expect(outcome(findings, 'DynamoDBTableCustomerManagedKey', 'Test/Owned/Resource')).toBe('non-compliant');
  });
  test('GIVEN an L1 table with an imported key parameter THEN cannot verify', () => {
    const findings = check((s) => {
      const keyArn = new CfnParameter(s, 'KeyArn').valueAsString;
      new dynamodb.CfnTable(s, 'L1', {
        keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
        attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
        sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: keyArn },
      });
    });
    expect(outcome(findings, 'DynamoDBTableCustomerManagedKey', 'Test/L1')).toBe('cannot-verify');
  });
});

describe('KMSKeyPolicyDecryptConditioned', () => {
  test('GIVEN the CDK default key policy (root kms:*) THEN non-compliant', () => {
    expect(outcome(check((s) => { new kms.Key(s, 'K'); }), 'KMSKeyPolicyDecryptConditioned', 'Test/K/Resource')).toBe('non-compliant');
  });
  test('GIVEN PrivacyKey and PseudonymizationKey THEN compliant', () => {
    const findings = check((s) => {
      new PrivacyKey(s, 'P');
      new PseudonymizationKey(s, 'H');
    });
    expect(outcome(findings, 'KMSKeyPolicyDecryptConditioned', 'Test/P/Resource')).toBe('clean');
    expect(outcome(findings, 'KMSKeyPolicyDecryptConditioned', 'Test/H/Resource')).toBe('clean');
  });
  test('GIVEN a key grantDecrypt to a service principal without conditions THEN non-compliant', () => {
    const findings = check((s) => {
      const key = new kms.Key(s, 'K', { policy: new iam.PolicyDocument() });
      key.grantDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
    });
    expect(outcome(findings, 'KMSKeyPolicyDecryptConditioned', 'Test/K/Resource')).toBe('non-compliant');
  });
  test('GIVEN an L1 key whose only decrypt statement has a kms:ViaService condition THEN compliant', () => {
    const findings = check((s) => {
      new kms.CfnKey(s, 'L1', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }] },
      });
    });
    expect(outcome(findings, 'KMSKeyPolicyDecryptConditioned', 'Test/L1')).toBe('clean');
  });
  test('GIVEN a key tagged non-personal that no in-scope store uses THEN n/a; used by an in-scope bucket THEN in scope', () => {
    const findings = check((s) => {
      PrivacyClassification.apply(new kms.Key(s, 'Unused'), { classification: DataClassification.NON_PERSONAL });
      const used = new kms.Key(s, 'Used', { removalPolicy: RemovalPolicy.DESTROY });
      PrivacyClassification.apply(used, { classification: DataClassification.NON_PERSONAL });
      new s3.Bucket(s, 'Bucket', { encryptionKey: used });
    });
    expect(outcome(findings, 'KMSKeyPolicyDecryptConditioned', 'Test/Unused/Resource')).toBe('clean');
    expect(outcome(findings, 'KMSKeyPolicyDecryptConditioned', 'Test/Used/Resource')).toBe('non-compliant');
  });
});

describe('KMSKeyRotationEnabled', () => {
  test('GIVEN an L2 key without rotation THEN non-compliant; with rotation THEN compliant; HMAC THEN n/a', () => {
    const findings = check((s) => {
      new kms.Key(s, 'Off');
      new kms.Key(s, 'On', { enableKeyRotation: true });
      new PseudonymizationKey(s, 'Hmac');
    });
    expect(outcome(findings, 'KMSKeyRotationEnabled', 'Test/Off/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'KMSKeyRotationEnabled', 'Test/On/Resource')).toBe('clean');
    expect(outcome(findings, 'KMSKeyRotationEnabled', 'Test/Hmac/Resource')).toBe('clean');
  });
  test('GIVEN an L1 key with EnableKeyRotation false THEN non-compliant', () => {
    expect(outcome(check((s) => { new kms.CfnKey(s, 'L1', { enableKeyRotation: false }); }), 'KMSKeyRotationEnabled', 'Test/L1')).toBe('non-compliant');
  });
});

describe('KMSKeyNoWildcardPrincipal', () => {
  test('GIVEN Allow Principal * without conditions THEN non-compliant; with aws:PrincipalOrgID THEN compliant; PrivacyKey (Deny *) THEN compliant', () => {
    const findings = check((s) => {
      const open = new kms.Key(s, 'Open', { enableKeyRotation: true });
      open.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:DescribeKey'], resources: ['*'] }));
      const org = new kms.Key(s, 'Org', { enableKeyRotation: true });
      org.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:DescribeKey'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }));
      new PrivacyKey(s, 'Privacy');
    });
    expect(outcome(findings, 'KMSKeyNoWildcardPrincipal', 'Test/Open/Resource')).toBe('non-compliant');
    expect(outcome(findings, 'KMSKeyNoWildcardPrincipal', 'Test/Org/Resource')).toBe('clean');
    expect(outcome(findings, 'KMSKeyNoWildcardPrincipal', 'Test/Privacy/Resource')).toBe('clean');
  });
  test('GIVEN an L1 key policy with Principal "*" THEN non-compliant', () => {
    const findings = check((s: Stack) => {
      new kms.CfnKey(s, 'L1', { enableKeyRotation: true, keyPolicy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }] } });
    });
    expect(outcome(findings, 'KMSKeyNoWildcardPrincipal', 'Test/L1')).toBe('non-compliant');
  });
});
