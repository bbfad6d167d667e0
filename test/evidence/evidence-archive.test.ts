import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CyberAuditEvidence, EvidenceArchive, OrganizationTrailCoverage, PersonalDataBucket } from '../../lib';
import { ComplianceReport, formatFindings, ORG_TRAIL_ARN, runComplianceKit } from '../kit/compliance';
import { validationErrorOf } from '../kit/errors';

const ENV = { account: '111111111111', region: 'us-east-1' };

function appWithArchive(props?: ConstructorParameters<typeof EvidenceArchive>[2]): { app: App; stack: Stack; archive: EvidenceArchive } {
  const app = new App();
  const stack = new Stack(app, 'Evidence', { env: ENV });
  new PersonalDataBucket(stack, 'Customers');
  new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
  const archive = new EvidenceArchive(stack, 'Archive', props);
  return { app, stack, archive };
}

describe('EvidenceArchive', () => {
  let stack: Stack;
  let archive: EvidenceArchive;
  let outdir: string;
  let template: Template;
  let report: ComplianceReport;
  beforeAll(() => {
    const built = appWithArchive();
    stack = built.stack;
    archive = built.archive;
    outdir = built.app.synth().directory;
    template = Template.fromStack(stack);
    report = runComplianceKit(stack);
  });

  test('the bucket: Object Lock COMPLIANCE for five years, versioned, KMS CMK, access logs, classified non-personal', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1827 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(archive.accessLogsBucket.node.defaultChild as any) }, LogFilePrefix: 'archive/' },
      Tags: Match.arrayWith([{ Key: 'privacy:classification', Value: 'non-personal' }]),
    });
    expect(archive.retentionDays).toBe(1827);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('EvidenceArchive') });
  });

  test('both bucket policies deny requests without TLS', () => {
    for (const b of [archive.bucket, archive.accessLogsBucket]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: stack.getLogicalId(b.node.defaultChild as any) },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  test('the deploy-time copy keeps every version: no pruning, retained on delete, three files of this synth', () => {
    const cr = Object.values(template.findResources('Custom::CDKBucketDeployment')) as any[];
    expect(cr).toHaveLength(1);
    expect(cr[0].Properties).toMatchObject({ Prune: false, RetainOnDelete: true });
    expect(cr[0].Properties.SourceObjectKeys).toHaveLength(3);
    expect(archive.versionPrefix).toMatch(/^cyber-audit-evidence\/[0-9a-f]{16}\/$/);
  });

  test('the archived evidence is byte for byte the file synth writes into the cloud assembly', () => {
    const staged = fs.readdirSync(outdir).filter((d) => d.startsWith('asset.') && fs.statSync(path.join(outdir, d)).isDirectory())
      .map((d) => path.join(outdir, d, archive.versionPrefix!, CyberAuditEvidence.JSON_FILE))
      .filter((f) => fs.existsSync(f));
    expect(staged).toHaveLength(1);
    const assembly = fs.readFileSync(path.join(outdir, CyberAuditEvidence.JSON_FILE), 'utf8');
    expect(fs.readFileSync(staged[0], 'utf8')).toBe(assembly);
    const md = fs.readdirSync(outdir)
      .map((d) => path.join(outdir, d, archive.versionPrefix!, CyberAuditEvidence.MARKDOWN_FILE))
      .filter((f) => fs.existsSync(f));
    expect(md.map((f) => fs.readFileSync(f, 'utf8'))).toEqual([fs.readFileSync(path.join(outdir, CyberAuditEvidence.MARKDOWN_FILE), 'utf8')]);
  });

  test('a changed app archives under a new version prefix', () => {
    const a = appWithArchive();
    a.app.synth();
    const b = appWithArchive();
    new PersonalDataBucket(b.stack, 'Orders');
    b.app.synth();
    expect(a.archive.versionPrefix).toBe(archive.versionPrefix);
    expect(b.archive.versionPrefix).not.toBe(a.archive.versionPrefix);
  });

  test('the compliance kit (CcpaChecks, four cdk-nag packs, Control Tower) finds no unacknowledged error', () => {
    expect(formatFindings(report.errors)).toBe(formatFindings([]));
  });

  test('GIVEN a retention under five years or a bad prefix THEN refused with codes', () => {
    const message = validationErrorOf(() => new EvidenceArchive(new Stack(new App(), 'S'), 'A', { retention: Duration.days(365), keyPrefix: 'no-slash' }));
    expect(message).toMatch(/\[RetentionTooShort\] retention 365 days is below the five years/);
    expect(message).toMatch(/\[KeyPrefixInvalid\] keyPrefix "no-slash"/);
  });
});
