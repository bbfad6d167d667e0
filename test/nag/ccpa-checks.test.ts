import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { check, findingsOf, idsAt } from './helpers';
import {
  AuditLogArchive, ConfigRulePack, EncryptionScp, IsolatedAuditTrail, PersonalDataBackupPlan, PersonalDataBucket, PrivacyKey,
  PrivacyTable, PseudonymizationKey,
} from '../../lib';
import { CcpaChecks, OrganizationTrailCoverage } from '../../lib/nag';

describe('CcpaChecks', () => {
  test('GIVEN the pack THEN its rule ids are exactly these (pinned)', () => {
    expect(new CcpaChecks().ruleIds).toEqual([
      'CCPA-IAMDataAccessResourceScoped', 'CCPA-IAMDsrRoleNotAdmin', 'CCPA-IAMPooledStoreTenantCondition',
      'CCPA-S3BucketCustomerManagedKey', 'CCPA-S3BucketTlsOnly', 'CCPA-S3BucketPublicAccessBlocked', 'CCPA-S3BucketAccessAudited',
      'CCPA-S3BucketNoncurrentVersionExpiration', 'CCPA-S3BucketNoObjectLock',
      'CCPA-DynamoDBTablePointInTimeRecovery', 'CCPA-DynamoDBTableCustomerManagedKey',
      'CCPA-KMSKeyPolicyDecryptConditioned', 'CCPA-KMSKeyRotationEnabled', 'CCPA-KMSKeyNoWildcardPrincipal',
      'CCPA-LogsRetentionTwelveMonths', 'CCPA-LogsDsrRetention24Months',
      'CCPA-CloudTrailDataEventCoverage', 'CCPA-CloudTrailLogFileValidation', 'CCPA-CloudTrailEncrypted', 'CCPA-CloudTrailMultiRegion',
      'CCPA-LambdaDsrFailureDestination', 'CCPA-LambdaDsrLogRetention', 'CCPA-StepFunctionsDsrLogging', 'CCPA-StepFunctionsDsrTracing',
      'CCPA-APIGWMethodAuthorization', 'CCPA-APIGWStageAccessLogging', 'CCPA-APIGWNoDataTrace', 'CCPA-EC2SecurityGroupOpenIngress', 'CCPA-LambdaNotInPublicSubnet',
      'CCPA-RDSCustomerManagedKey', 'CCPA-EFSCustomerManagedKey', 'CCPA-SQSCustomerManagedKey', 'CCPA-SNSCustomerManagedKey',
      'CCPA-KinesisCustomerManagedKey', 'CCPA-OpenSearchCustomerManagedKey', 'CCPA-ElastiCacheCustomerManagedKey',
      'CCPA-BackupVaultCustomerManagedKey',
      // added by nag-semantics (issue 15)
      'CCPA-DatabaseNotPubliclyAccessible', 'CCPA-OpenSearchNotPublic', 'CCPA-PrivacyTagsValid', 'CCPA-DsrCoveredStoreServed',
      // added by nag-stores (issue 15 items 1 and 8)
      'CCPA-NeptuneCustomerManagedKey', 'CCPA-DocumentDBCustomerManagedKey', 'CCPA-RedshiftCustomerManagedKey',
      'CCPA-MemoryDBCustomerManagedKey', 'CCPA-FirehoseCustomerManagedKey', 'CCPA-EBSCustomerManagedKey', 'CCPA-DAXEncrypted',
      'CCPA-DatabaseBackupsEnabled', 'CCPA-LogsCustomerManagedKey', 'CCPA-CognitoUserPoolMfa',
      'CCPA-CognitoUserPoolThreatProtection', 'CCPA-CognitoUserPoolDeletionProtection',
      // added by cyber-evidence (issue 20)
      'CCPA-RiskAssessmentRecorded',
      // added by retention-rest (issue 19)
      'CCPA-StoreRetentionDeclared', 'CCPA-StoreRetentionDeclaredSensitive', 'CCPA-S3BucketExpirationWithinRetention',
      'CCPA-DynamoDBTableTtlForRetention', 'CCPA-LogsWithinDeclaredRetention',
      // added by nag-fn (issue 15 item 5)
      'CCPA-LambdaFunctionUrlAuthorization', 'CCPA-LambdaDsrAsyncFailureDestination',
    ]);
    expect(new CcpaChecks().name).toBe('CCPA');
  });

  test('GIVEN only warning-level findings THEN the report is a success (synth does not fail); an error THEN not', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new OrganizationTrailCoverage(app, 'Org', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' });
    new s3.Bucket(stack, 'Versioned', {
      encryptionKey: new PrivacyKey(stack, 'Key'), enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, versioned: true,
    });
    app.synth();
    const warningsOnly = new CcpaChecks().validateScope(app);
    expect(findingsOf(warningsOnly).map((f) => [f.id, f.severity])).toEqual([['CCPA-S3BucketNoncurrentVersionExpiration', 'warning']]);
    expect(warningsOnly.success).toBe(true);

    new s3.Bucket(stack, 'Raw');
    app.synth({ force: true });
    expect(new CcpaChecks().validateScope(app).success).toBe(false);
  });

  test('GIVEN an unresolvable value THEN a [CannotVerify] finding at the rule level, acknowledgeable by its granular id', () => {
    const findings = check((s) => {
      const lit = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }] };
      new s3.CfnBucket(s, 'A', { bucketEncryption: lit });
      const acked = new s3.CfnBucket(s, 'B', { bucketEncryption: lit });
      Validations.of(acked).acknowledge({ id: 'CCPA-S3BucketCustomerManagedKey[CannotVerify]', reason: 'Key 1234abcd is the customer-managed key of the data account (ticket SEC-77)' });
    });
    const a = findings.find((f) => f.path === 'Test/A' && f.id.includes('CustomerManagedKey'));
    expect(a).toMatchObject({ id: 'CCPA-S3BucketCustomerManagedKey[CannotVerify]', severity: 'error' });
    expect(a?.description).toMatch(/^Cannot verify S3BucketCustomerManagedKey/);
    expect(idsAt(findings, 'Test/B')).not.toContain('CCPA-S3BucketCustomerManagedKey[CannotVerify]');
  });

  test('GIVEN a rule that throws on a malformed property THEN a [CannotVerify] finding, not a crash or a pass', () => {
    const findings = check((s) => {
      new kms.CfnKey(s, 'Broken', { enableKeyRotation: true }).addPropertyOverride('KeyPolicy', '{not json');
    });
    expect(idsAt(findings, 'Test/Broken')).toContain('CCPA-KMSKeyPolicyDecryptConditioned[CannotVerify]');
  });

  test('GIVEN every info THEN it names the citation, the risk and a fix', () => {
    const findings = check((s) => { new s3.Bucket(s, 'Raw'); });
    for (const f of findings) {
      expect(f.description).toMatch(/Why: .*(Cal\. Civ\. Code|CCR).*Risk: .*Fix: /);
    }
    expect(findings.length).toBeGreaterThan(3);
  });

  test('GIVEN validateScope on one stack THEN only that stack\'s resources are reported, but trails elsewhere in the app count', () => {
    const app = new App();
    const data = new Stack(app, 'Data');
    const other = new Stack(app, 'Other');
    new s3.Bucket(other, 'Raw');
    const bucket = new s3.Bucket(data, 'Bucket');
    new cloudtrail.Trail(new Stack(app, 'Audit'), 'Trail').addS3EventSelector([{ bucket }]);
    app.synth();
    const findings = findingsOf(new CcpaChecks().validateScope(data));
    expect(findings.every((f) => f.path.startsWith('Data/'))).toBe(true);
    expect(idsAt(findings, 'Data/Bucket/Resource')).not.toContain('CCPA-CloudTrailDataEventCoverage');
  });
});

describe('the library\'s constructs with default props', () => {
  /** GIVEN one construct per stack, with an org-trail declaration or an IsolatedAuditTrail THEN zero CcpaChecks errors. */
  const cases: [string, (s: Stack) => void][] = [
    ['PrivacyKey', (s) => { new PrivacyKey(s, 'C'); }],
    ['PseudonymizationKey', (s) => { new PseudonymizationKey(s, 'C'); }],
    ['PersonalDataBucket', (s) => { new PersonalDataBucket(s, 'C'); }],
    ['PrivacyTable', (s) => { new PrivacyTable(s, 'C'); }],
    ['PersonalDataBackupPlan', (s) => { new PersonalDataBackupPlan(s, 'C'); }],
    ['IsolatedAuditTrail', (s) => { new IsolatedAuditTrail(s, 'C'); }],
    ['EncryptionScp', (s) => { new EncryptionScp(s, 'C'); }],
    ['ConfigRulePack', (s) => { new ConfigRulePack(s, 'C'); }],
    ['PersonalDataBucket and PrivacyTable covered by an IsolatedAuditTrail (no declaration)', (s) => {
      new PersonalDataBucket(s, 'B');
      new PrivacyTable(s, 'T');
      new IsolatedAuditTrail(s, 'Trail');
    }],
  ];
  test.each(cases)('%s', (name, build) => {
    const declare = !name.includes('no declaration');
    const errors = check((s, app) => {
      if (declare) new OrganizationTrailCoverage(app, 'Org', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' });
      build(s);
    }).filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.id} at ${f.path}`)).toEqual([]);
  });
});

test('GIVEN an AuditLogArchive alone (the org trail that writes to it is elsewhere) THEN the only error is its Object Lock', () => {
  // CCPA-S3BucketNoObjectLock exempts buckets a trail of the app writes to; a standalone archive
  // must acknowledge it on its bucket with the legal-obligation reason (1798.105(d), 11 CCR § 7101).
  const errors = check((s, app) => {
    new OrganizationTrailCoverage(app, 'Org', { trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' });
    new AuditLogArchive(s, 'C');
  }).filter((f) => f.severity === 'error' && f.id !== 'CCPA-S3BucketNoObjectLock');
  expect(errors.map((f) => `${f.id} at ${f.path}`)).toEqual([]);
});
