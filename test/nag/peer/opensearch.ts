import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { PeerSuite } from './kit';

// cdk-nag also runs each case on the legacy AWS::Elasticsearch::Domain; the ports use AWS::OpenSearchService::Domain.

/** cdk-nag test/rules/OpenSearch.test.ts. */
export const OPENSEARCH_SUITE: PeerSuite = {
  service: 'OpenSearch',
  source: 'test/rules/OpenSearch.test.ts',
  commit: 'a10a8a5f9c33126268009f117629199d8ac71303',
  rules: [
    {
      rule: 'OpenSearchInVPCOnly',
      nagService: 'opensearch',
      awsSolutions: 'AwsSolutions-OS1',
      ccpa: ['OpenSearchNotPublic'],
      cases: [
        {
          name: 'Noncompliance 2: no VPCOptions (a public endpoint), no access policy',
          nag: 'non-compliant',
          build: (s) => { new opensearch.CfnDomain(s, 'Domain', {}); },
          ccpa: [],
          differs: 'CcpaChecks fails a public endpoint only when its access policy lets anyone in (Principal * without a condition that limits it); with no access policy, requests need IAM-signed credentials of the account.',
        },
        {
          name: 'Noncompliance 4: VPCOptions with no subnets',
          nag: 'non-compliant',
          build: (s) => { new opensearch.CfnDomain(s, 'Domain', { vpcOptions: { subnetIds: [] } }); },
          ccpa: [],
          differs: 'CcpaChecks reads VPCOptions as a VPC endpoint, and as in Noncompliance 2 no access policy opens the domain to anyone.',
        },
        {
          name: 'Compliance: VPCOptions with a subnet',
          nag: 'compliant',
          build: (s) => { new opensearch.CfnDomain(s, 'Domain2', { vpcOptions: { subnetIds: ['mycoolsubnet'] } }); },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'OpenSearchNoUnsignedOrAnonymousAccess',
      nagService: 'opensearch',
      awsSolutions: 'AwsSolutions-OS5',
      ccpa: ['OpenSearchNotPublic'],
      cases: [
        {
          name: 'Noncompliance 4: an access policy allowing Principal *',
          nag: 'non-compliant',
          build: (s) => {
            new opensearch.Domain(s, 'Domain', {
              version: opensearch.EngineVersion.OPENSEARCH_1_0,
              accessPolicies: [new iam.PolicyStatement({ effect: iam.Effect.ALLOW, principals: [new iam.AnyPrincipal()], resources: ['*'] })],
            });
          },
          ccpa: ['CCPA-OpenSearchNotPublic at Test/Domain/Resource'],
        },
        {
          name: 'Noncompliance 6: the same on the L1 domain',
          nag: 'non-compliant',
          build: (s) => {
            new opensearch.CfnDomain(s, 'Domain', {
              engineVersion: opensearch.EngineVersion.OPENSEARCH_1_0.version,
              accessPolicies: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ effect: iam.Effect.ALLOW, principals: [new iam.AnyPrincipal()], resources: ['*'] })] }).toJSON(),
            });
          },
          ccpa: ['CCPA-OpenSearchNotPublic at Test/Domain'],
        },
        {
          name: 'Compliance: a role of the account, limited to one source IP or the VPC range',
          nag: 'compliant',
          build: (s) => {
            new opensearch.CfnDomain(s, 'Domain2', {
              engineVersion: opensearch.EngineVersion.OPENSEARCH_1_0.version,
              accessPolicies: new iam.PolicyDocument({
                statements: [new iam.PolicyStatement({
                  effect: iam.Effect.ALLOW,
                  principals: [new iam.Role(s, 'Role2', { assumedBy: new iam.AccountRootPrincipal() })],
                  resources: ['*'],
                  conditions: { IpAddress: { 'aws:sourceIp': ['42.42.42.42'] } },
                })],
              }).toJSON(),
            });
            new opensearch.Domain(s, 'Domain3', {
              version: opensearch.EngineVersion.ELASTICSEARCH_7_10,
              accessPolicies: [new iam.PolicyStatement({
                effect: iam.Effect.ALLOW,
                principals: [new iam.Role(s, 'Role3', { assumedBy: new iam.AccountRootPrincipal() })],
                actions: ['es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpGet'],
                resources: ['*'],
                conditions: { IpAddress: { 'aws:sourceIp': [new ec2.Vpc(s, 'vpc').vpcCidrBlock] } },
              })],
            });
          },
          ccpa: [],
        },
      ],
    },
    {
      rule: 'OpenSearchEncryptedAtRest',
      nagService: 'opensearch',
      awsSolutions: 'AwsSolutions-OS8',
      ccpa: ['OpenSearchCustomerManagedKey'],
      cases: [
        {
          name: 'Noncompliance 2: no EncryptionAtRestOptions',
          nag: 'non-compliant',
          build: (s) => { new opensearch.CfnDomain(s, 'Domain', {}); },
          ccpa: ['CCPA-OpenSearchCustomerManagedKey at Test/Domain'],
        },
        {
          name: 'Noncompliance 4: encryption at rest off',
          nag: 'non-compliant',
          build: (s) => { new opensearch.CfnDomain(s, 'Domain', { encryptionAtRestOptions: { enabled: false } }); },
          ccpa: ['CCPA-OpenSearchCustomerManagedKey at Test/Domain'],
        },
        {
          name: 'Compliance: encryption at rest on (AWS managed key)',
          nag: 'compliant',
          build: (s) => { new opensearch.CfnDomain(s, 'Domain2', { encryptionAtRestOptions: { enabled: true } }); },
          ccpa: ['CCPA-OpenSearchCustomerManagedKey at Test/Domain2'],
          differs: 'CcpaChecks requires a customer-managed key (EncryptionAtRestOptions.KmsKeyId), not only encryption with aws/es.',
        },
      ],
    },
  ],
};
