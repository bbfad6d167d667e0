import { App, Aws, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  allowPolicy,
  arnPrincipal,
  IamSimulator,
  mergeTagsIgnoringCase,
  servicePrincipal,
  templateRole,
} from './iam-sim';

const ACCOUNT = '111111111111';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`;

/** The fixture: a key that trusts only tagged principals via S3, a bucket with a tag-deny, a pooled table. */
function fixture() {
  const app = new App();
  const stack = new Stack(app, 'Fixture');
  const lid = (c: { node: { defaultChild?: unknown } } | iam.CfnRole) => stack.getLogicalId((('node' in c && c.node.defaultChild) || c) as iam.CfnRole);

  // KMS key whose policy does NOT trust the account: only tagged principals, only through S3.
  const key = new kms.Key(stack, 'DataKey', {
    policy: new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        sid: 'DecryptForTaggedPrincipalsViaS3',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:PrincipalTag/privacy:access': 'personal',
            'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com`,
            'kms:CallerAccount': Aws.ACCOUNT_ID,
          },
        },
      }), new iam.PolicyStatement({
        sid: 'EncryptionContextBound',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:CallerAccount': Aws.ACCOUNT_ID, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::allowed-bucket' } },
      })],
    }),
  });
  // A key with CDK's default policy (trusts the account root, so identity policies apply).
  const trustingKey = new kms.Key(stack, 'TrustingKey');

  const bucket = new s3.Bucket(stack, 'Data', { encryptionKey: key, enforceSSL: true });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyWithoutPrivacyTag',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { StringNotEquals: { 'aws:PrincipalTag/privacy:access': ['personal', 'sensitive'] } },
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailWrite',
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/*`)],
    conditions: { StringEquals: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudtrail:${Aws.REGION}:${Aws.ACCOUNT_ID}:trail/org-trail` } },
  }));

  const tagged = new iam.Role(stack, 'Tagged', { assumedBy: new iam.AccountRootPrincipal() });
  Tags.of(tagged).add('privacy:access', 'personal');
  const untagged = new iam.Role(stack, 'Untagged', { assumedBy: new iam.AccountRootPrincipal() });
  bucket.grantRead(tagged);
  bucket.grantRead(untagged);

  // Pooled table: the resource policy denies items outside the caller's tenant.
  const reader = new iam.Role(stack, 'TenantReader', { assumedBy: new iam.AccountRootPrincipal() });
  const table = new dynamodb.Table(stack, 'Pooled', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    resourcePolicy: new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        sid: 'DenyOtherTenants',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringNotEquals': { 'dynamodb:LeadingKeys': '${aws:PrincipalTag/tenant}' } },
      })],
    }),
  });
  table.addGlobalSecondaryIndex({ indexName: 'bySubject', partitionKey: { name: 'subject', type: dynamodb.AttributeType.STRING } });
  table.grantReadData(reader);

  const logGroup = new logs.LogGroup(stack, 'Logs');
  const sm = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')), logs: { destination: logGroup } });
  new CfnOutput(stack, 'Out', { value: sm.stateMachineArn });

  return {
    stack,
    ids: {
      key: lid(key),
      trustingKey: lid(trustingKey),
      bucket: lid(bucket),
      tagged: lid(tagged),
      untagged: lid(untagged),
      reader: lid(reader),
      table: lid(table),
      logGroup: lid(logGroup),
      sm: lid(sm),
    },
  };
}

describe('iam-sim kit', () => {
  let sim: IamSimulator;
  let ids: ReturnType<typeof fixture>['ids'];
  beforeAll(() => {
    // GIVEN the fixture, synthesized once
    const f = fixture();
    ids = f.ids;
    sim = IamSimulator.fromStack(f.stack);
  });

  describe('intrinsics', () => {
    test('THEN Ref / GetAtt resolve to deterministic names and ARNs in the fixed account and region', () => {
      expect(sim.arnOf(ids.key)).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(sim.ref(ids.key)).toBe(sim.arnOf(ids.key).split('/')[1]);
      expect(sim.arnOf(ids.bucket)).toBe(`arn:aws:s3:::${sim.ref(ids.bucket)}`);
      expect(sim.ref(ids.bucket)).toBe(sim.ref(ids.bucket).toLowerCase());
      expect(sim.arnOf(ids.tagged)).toBe(`arn:aws:iam::111111111111:role/${sim.ref(ids.tagged)}`);
      expect(sim.arnOf({ logicalId: ids.table, index: 'bySubject' })).toBe(`arn:aws:dynamodb:us-east-1:111111111111:table/${sim.ref(ids.table)}/index/bySubject`);
      expect(sim.arnOf(ids.sm)).toBe(`arn:aws:states:us-east-1:111111111111:stateMachine:${sim.getAtt(ids.sm, 'Name')}`);
      expect(sim.arnOf(ids.logGroup)).toBe(`arn:aws:logs:us-east-1:111111111111:log-group:${sim.ref(ids.logGroup)}:*`);
      // the same fixture gives the same ids
      expect(IamSimulator.fromStack(fixture().stack).arnOf(ids.key)).toBe(sim.arnOf(ids.key));
    });

    test('THEN Fn::Sub, Fn::Join, Fn::Select/Split and pseudo parameters resolve', () => {
      expect(sim.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${' + ids.bucket + '}/x/${!Literal}' })).toBe(`${sim.arnOf(ids.bucket)}/x/\${Literal}`);
      expect(sim.resolve({ 'Fn::GetAtt': `${ids.tagged}.Arn` })).toBe(sim.arnOf(ids.tagged));
      expect(sim.resolve({ 'Fn::Sub': ['${AWS::Region}.${AWS::URLSuffix}/${X}', { X: { Ref: 'AWS::AccountId' } }] })).toBe('us-east-1.amazonaws.com/111111111111');
      expect(sim.resolve({ 'Fn::Sub': '${' + ids.key + '.Arn}' })).toBe(sim.arnOf(ids.key));
      expect(sim.resolve({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/*']] })).toBe(`${sim.arnOf(ids.bucket)}/*`);
      expect(sim.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [ids.key, 'Arn'] }] }] })).toBe(sim.ref(ids.key));
      expect(sim.resolve({ a: { Ref: 'AWS::NoValue' }, b: 'x' })).toEqual({ b: 'x' });
      expect(() => sim.resolve({ 'Fn::ImportValue': 'Nope' })).toThrow(/overrides.imports/);
    });

    test('THEN a role\'s identity policies are collected from AWS::IAM::Policy resources that name it', () => {
      const { policies } = sim.identityPoliciesOf(ids.tagged);
      expect(policies).toHaveLength(1);
      expect(JSON.stringify(policies[0].policy)).toContain(`${sim.arnOf(ids.bucket)}/*`);
      expect(sim.tagsOf(ids.tagged)).toEqual({ 'privacy:access': 'personal' });
    });
  });

  describe('KMS key policy with a principal-tag condition', () => {
    const decrypt = (principal: Parameters<IamSimulator['simulate']>[0]['principal'], context: Record<string, string> = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }) =>
      sim.simulate({ principal, action: 'kms:Decrypt', resource: { logicalId: ids.key }, context });

    test('GIVEN the tagged role via S3 THEN Allowed', async () => {
      const d = await decrypt(templateRole(ids.tagged));
      expect(d.result).toBe('Allowed');
      expect(d.resourcePolicySource).toBe(ids.key);
      expect(d.context).toMatchObject({ 'kms:CallerAccount': ACCOUNT, 'aws:PrincipalTag/privacy:access': 'personal', 'aws:PrincipalArn': sim.arnOf(ids.tagged) });
      expect(d.principal).toMatch(/^arn:aws:sts::111111111111:assumed-role\/.+\/iam-sim$/);
    });

    test('GIVEN the untagged role THEN ImplicitlyDenied; WITH a session tag THEN Allowed', async () => {
      expect((await decrypt(templateRole(ids.untagged))).result).toBe('ImplicitlyDenied');
      expect((await decrypt(templateRole(ids.untagged, { sessionTags: { 'privacy:access': 'personal' } }))).result).toBe('Allowed');
    });

    test('GIVEN the tagged role calling KMS directly (no kms:ViaService) THEN ImplicitlyDenied', async () => {
      expect((await decrypt(templateRole(ids.tagged), {})).result).toBe('ImplicitlyDenied');
    });

    test('GIVEN a session tag overriding the role tag THEN the session tag wins', async () => {
      expect((await decrypt(templateRole(ids.tagged, { sessionTags: { 'privacy:access': 'none' } }))).result).toBe('ImplicitlyDenied');
    });

    test('GIVEN a principal with kms:* on * but a key policy that does not trust the account THEN ImplicitlyDenied', async () => {
      const admin = arnPrincipal(`arn:aws:iam::${ACCOUNT}:role/Admin`, { identityPolicies: [allowPolicy('kms:*')] });
      expect((await decrypt(admin)).result).toBe('ImplicitlyDenied');
      expect((await decrypt(sim.root())).result).toBe('ImplicitlyDenied');
      // CONTROL: the same principal on a key whose policy trusts the account root is allowed
      const trusting = await sim.simulate({ principal: admin, action: 'kms:Decrypt', resource: { logicalId: ids.trustingKey } });
      expect(trusting.result).toBe('Allowed');
    });

    test('GIVEN a tagged principal in ANOTHER account THEN kms:CallerAccount does not match and it is ImplicitlyDenied', async () => {
      const ext = arnPrincipal('arn:aws:iam::222222222222:role/Ext', { tags: { 'privacy:access': 'personal' }, identityPolicies: [allowPolicy('kms:*')] });
      const d = await decrypt(ext);
      expect(d.context['kms:CallerAccount']).toBe('222222222222');
      expect(d.result).toBe('ImplicitlyDenied');
    });

    test('GIVEN kms:EncryptionContext keys THEN the kit evaluates them (the validated engine would drop them)', async () => {
      const gen = (bucketArn: string) => sim.simulate({
        principal: templateRole(ids.untagged),
        action: 'kms:GenerateDataKey',
        resource: { logicalId: ids.key },
        context: { 'kms:EncryptionContext:aws:s3:arn': bucketArn },
      });
      const ok = await gen('arn:aws:s3:::allowed-bucket');
      expect([ok.engine, ok.result]).toEqual(['unsafe', 'Allowed']);
      expect((await gen('arn:aws:s3:::other-bucket')).result).toBe('ImplicitlyDenied');
    });
  });

  describe('bucket policy with an explicit Deny and a service principal', () => {
    test('GIVEN read grants to both roles THEN the tagged role is Allowed and the untagged one ExplicitlyDenied', async () => {
      const get = (logicalId: string) => sim.simulate({
        principal: templateRole(logicalId), action: 's3:GetObject', resource: { logicalId: ids.bucket, objectKey: 'customers/1.json' },
      });
      const ok = await get(ids.tagged);
      expect(ok.result).toBe('Allowed');
      const denied = await get(ids.untagged);
      expect(denied.result).toBe('ExplicitlyDenied');
      expect(denied.analysis?.resourceAnalysis?.denyStatements.map((s) => s.statement.sid())).toContain('DenyWithoutPrivacyTag');
    });

    test('GIVEN aws:SecureTransport false THEN enforceSSL denies explicitly', async () => {
      const d = await sim.simulate({
        principal: templateRole(ids.tagged),
        action: 's3:GetObject',
        resource: { logicalId: ids.bucket, objectKey: 'a' },
        context: { 'aws:SecureTransport': 'false' },
      });
      expect(d.result).toBe('ExplicitlyDenied');
    });

    test('GIVEN CloudTrail writing with the right / a wrong aws:SourceArn THEN Allowed / ImplicitlyDenied', async () => {
      const put = (sourceArn: string) => sim.simulate({
        principal: servicePrincipal('cloudtrail.amazonaws.com'),
        action: 's3:PutObject',
        resource: { logicalId: ids.bucket, objectKey: `AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz` },
        context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT },
      });
      expect((await put(TRAIL_ARN)).result).toBe('Allowed');
      expect((await put(TRAIL_ARN.replace('org-trail', 'rogue'))).result).toBe('ImplicitlyDenied');
    });
  });

  describe('DynamoDB resource policy with dynamodb:LeadingKeys', () => {
    test('GIVEN tenant session tag a THEN items of tenant a Allowed, of tenant b ExplicitlyDenied (also on an index)', async () => {
      const get = (leading: string[], index?: string) => sim.simulate({
        principal: templateRole(ids.reader, { sessionTags: { tenant: 'a' } }),
        action: index ? 'dynamodb:Query' : 'dynamodb:GetItem',
        resource: { logicalId: ids.table, ...(index ? { index } : {}) },
        context: { 'dynamodb:LeadingKeys': leading },
      });
      expect((await get(['a'])).result).toBe('Allowed');
      expect((await get(['b'])).result).toBe('ExplicitlyDenied');
      expect((await get(['a'], 'bySubject')).result).toBe('Allowed');
      expect((await get(['b'], 'bySubject')).result).toBe('ExplicitlyDenied');
    });
  });

  describe('service control policies', () => {
    const denyStopLogging = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/BreakGlass' } } }],
    };
    const admin = (name: string) => arnPrincipal(`arn:aws:iam::111111111111:role/${name}`, { identityPolicies: [allowPolicy('*')] });
    const trail = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t';

    test('GIVEN no SCPs THEN an administrator may stop a trail', async () => {
      await sim.expectDecision({ principal: admin('Admin'), action: 'cloudtrail:StopLogging', resource: trail }, 'Allowed');
    });

    test('GIVEN an SCP on the request THEN its Deny applies, its exemption holds, and actions it does not name stay allowed', async () => {
      await sim.expectDecision({ principal: admin('Admin'), action: 'cloudtrail:StopLogging', resource: trail, scps: [denyStopLogging] }, 'ExplicitlyDenied');
      await sim.expectDecision({ principal: admin('BreakGlass'), action: 'cloudtrail:StopLogging', resource: trail, scps: [denyStopLogging] }, 'Allowed');
      await sim.expectDecision({ principal: admin('Admin'), action: 'cloudtrail:StartLogging', resource: trail, scps: [denyStopLogging] }, 'Allowed');
    });

    test('GIVEN SCPs on the simulator THEN every request gets them unless the request says scps: []', async () => {
      const withScps = IamSimulator.fromStack(fixture().stack, { scps: [denyStopLogging] });
      await withScps.expectDecision({ principal: admin('Admin'), action: 'cloudtrail:StopLogging', resource: trail }, 'ExplicitlyDenied');
      await withScps.expectDecision({ principal: admin('Admin'), action: 'cloudtrail:StopLogging', resource: trail, scps: [] }, 'Allowed');
    });
  });

  describe('tag keys are case-insensitive, as in IAM', () => {
    test('GIVEN role tags and session tags differing only in case THEN the session tag replaces the role tag', () => {
      expect(mergeTagsIgnoringCase({ 'privacy:access': 'personal', 'team': 'x' }, { 'Privacy:Access': 'none' })).toEqual({ 'Privacy:Access': 'none', 'team': 'x' });
      expect(mergeTagsIgnoringCase({ tenant: 'a' }, {}, { TENANT: 'b' })).toEqual({ TENANT: 'b' });
    });

    test('GIVEN a session tag Privacy:Access=none on a role tagged privacy:access=personal THEN the role loses its access', async () => {
      const ctx = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
      await sim.expectDecision({ principal: templateRole(ids.tagged), action: 'kms:Decrypt', resource: { logicalId: ids.key }, context: ctx }, 'Allowed');
      const d = await sim.expectDecision({
        principal: templateRole(ids.tagged, { sessionTags: { 'Privacy:Access': 'none' } }), action: 'kms:Decrypt', resource: { logicalId: ids.key }, context: ctx,
      }, 'ImplicitlyDenied');
      expect(Object.keys(d.context).filter((k) => /^aws:PrincipalTag\/privacy:access$/i.test(k))).toEqual(['aws:PrincipalTag/Privacy:Access']);
    });

    test('GIVEN a principal tagged Privacy:Access (another case) THEN a policy on aws:PrincipalTag/privacy:access sees it', async () => {
      const d = await sim.simulate({
        principal: arnPrincipal('arn:aws:iam::111111111111:role/Sneaky', { tags: { 'Privacy:Access': 'personal' } }),
        action: 'kms:Decrypt',
        resource: { logicalId: ids.key },
        context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      });
      expect(d.result).toBe('Allowed');
    });
  });

  describe('a role of the template as the resource', () => {
    test('THEN its tags are aws:ResourceTag (iam:PassRole, iam:UpdateAssumeRolePolicy on a tagged role)', async () => {
      const scp = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: { Null: { 'aws:ResourceTag/privacy:access': 'false' } } }] };
      const admin = arnPrincipal('arn:aws:iam::111111111111:role/Admin', { identityPolicies: [allowPolicy('*')] });
      const d = await sim.expectDecision({ principal: admin, action: 'iam:PassRole', resource: { logicalId: ids.tagged }, resourcePolicy: null, scps: [scp] }, 'ExplicitlyDenied');
      expect(d.context['aws:ResourceTag/privacy:access']).toBe('personal');
      await sim.expectDecision({ principal: admin, action: 'iam:PassRole', resource: { logicalId: ids.untagged }, resourcePolicy: null, scps: [scp] }, 'Allowed');
    });
  });

  describe('S3 bucket ABAC', () => {
    const scp = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/privacy:classification': 'non-personal' } } }] };
    const req = { principal: arnPrincipal('arn:aws:iam::111111111111:role/Admin', { identityPolicies: [allowPolicy('*')] }), action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::b', resourcePolicy: null, scps: [scp] };

    test('GIVEN ABAC enabled on the bucket THEN its tags are in aws:ResourceTag', async () => {
      await sim.expectDecision({ ...req, s3BucketAbacEnabled: true, context: { 'aws:ResourceTag/privacy:classification': 'non-personal' } }, 'Allowed');
      await sim.expectDecision({ ...req, s3BucketAbacEnabled: true, context: { 'aws:ResourceTag/privacy:classification': 'personal' } }, 'ExplicitlyDenied');
    });

    test('GIVEN ABAC off (the default) THEN the tags are not in the request: a test that supplies them is refused, and the key is absent', async () => {
      await expect(sim.simulate({ ...req, context: { 'aws:ResourceTag/privacy:classification': 'non-personal' } })).rejects.toThrow(/ignores context key/);
      await sim.expectDecision(req, 'ExplicitlyDenied');
    });
  });

  describe('guard rails of the kit', () => {
    test('GIVEN a context key the action does not support THEN the kit throws instead of silently ignoring it', async () => {
      await expect(sim.simulate({
        principal: templateRole(ids.tagged),
        action: 'kms:Decrypt',
        resource: { logicalId: ids.key },
        context: { 'kms:ViaServce': 's3.us-east-1.amazonaws.com' },
      })).rejects.toThrow(/ignores context key\(s\) kms:ViaServce/);
    });

    test('GIVEN expectDecision with the wrong expectation THEN the error explains the decision', async () => {
      await expect(sim.expectDecision({ principal: templateRole(ids.untagged), action: 'kms:Decrypt', resource: { logicalId: ids.key } }, 'Allowed'))
        .rejects.toThrow(/expected Allowed, got ImplicitlyDenied[\s\S]*resource policy: /);
    });

    test('GIVEN 1000 simulations in a row THEN each gives the same decision as a single one', async () => {
      // Speed is not asserted here (a wall-clock limit in a unit test fails on a loaded machine); this checks
      // that the simulator keeps no state between calls that could change a decision.
      const decisions = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const principal = templateRole(i % 2 ? ids.tagged : ids.untagged);
        const result = await sim.simulate({ principal, action: 'kms:Decrypt', resource: { logicalId: ids.key }, context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
        decisions.add(`${i % 2 ? 'tagged' : 'untagged'}=${result.result}`);
      }
      expect([...decisions].sort()).toEqual(['tagged=Allowed', 'untagged=ImplicitlyDenied']);
    });
  });
});
