import { INSPECTOR_ENABLE_TYPE, MACIE_JOB_TYPE } from './control-types';
import { AppFacts, EvidenceItem, item, listOf, mentions, objectOf, ofType, ResourceFact } from './facts';
import { OrganizationTrailCoverage } from '../../nag/organization-trail-coverage';

/** What one requirement found: met when `evidence` is not empty and `missing` is undefined. */
export interface RequirementResult {
  readonly evidence: EvidenceItem[];
  /** What is missing, one sentence naming the resource or setting (undefined when met). */
  readonly missing?: string;
}

/** One thing the infrastructure can show for a component. */
export interface Requirement {
  readonly id: string;
  readonly description: string;
  /** The control the component rests on: when it is missing the component is a gap. */
  readonly core: boolean;
  check(facts: AppFacts): RequirementResult;
}

/** One of the 18 components of 11 CCR § 7123(c). */
export interface Component {
  /** The paragraph number of § 7123(c). */
  readonly number: number;
  readonly title: string;
  readonly requirements: readonly Requirement[];
  /** What only a person can show (policies, training, tests by people); listed with the status. */
  readonly needsAPerson: readonly string[];
}

/** A requirement met by every resource of the given types whose properties pass `ok`. */
function resourcesWhere(
  types: string[], what: string, ok: (r: ResourceFact) => string | undefined, missing: string,
): (f: AppFacts) => RequirementResult {
  return (f) => {
    const evidence = ofType(f, ...types).flatMap((r) => {
      const setting = ok(r);
      return setting === undefined ? [] : [item(r, setting)];
    });
    return evidence.length > 0 ? { evidence } : { evidence, missing: `${missing} (${what})` };
  };
}

const MANAGED = (f: AppFacts) => f.inventory.filter((s) => s.managed);
const ASSUMED = (f: AppFacts) => f.inventory.filter((s) => !s.managed && String(s.classification).endsWith('(assumed)'));

/** EventBridge rules on privileged changes (IAM, KMS, Organizations). */
const privilegedChangeAlerting: Requirement = {
  id: 'privileged-change-alerting',
  description: 'EventBridge rules alert on IAM, KMS and Organizations (SCP) changes',
  core: false,
  check: resourcesWhere(['AWS::Events::Rule'], 'AWS::Events::Rule on aws.iam, aws.kms or aws.organizations',
    (r) => {
      const sources = ['aws.iam', 'aws.kms', 'aws.organizations'].filter((s) => mentions(r.props.EventPattern, `"${s}"`));
      return sources.length > 0 && listOf(r.props.Targets).length > 0 ? `EventPattern source ${sources.join(', ')} -> ${listOf(r.props.Targets).length} target(s)` : undefined;
    },
    'no rule alerts on privileged changes'),
};

/** The 18 components, in § 7123(c) order. */
export const COMPONENTS: readonly Component[] = [
  {
    number: 1,
    title: 'Authentication, including multi-factor authentication',
    requirements: [
      {
        id: 'api-authentication',
        description: 'every API method that reaches personal data authenticates its caller',
        core: false,
        check: resourcesWhere(['AWS::ApiGateway::Method'], 'AWS::ApiGateway::Method with AuthorizationType other than NONE',
          (r) => (r.props.AuthorizationType && r.props.AuthorizationType !== 'NONE' ? `AuthorizationType = ${r.props.AuthorizationType}` : undefined),
          'no authenticated API method'),
      },
      {
        id: 'mfa-for-humans',
        description: 'a service control policy denies human access without MFA (aws:MultiFactorAuthPresent)',
        core: false,
        check: resourcesWhere(['AWS::Organizations::Policy'], 'an SCP conditioned on aws:MultiFactorAuthPresent',
          (r) => (mentions(r.props.Content, 'aws:MultiFactorAuthPresent') ? 'Content denies on aws:MultiFactorAuthPresent' : undefined),
          'no MFA requirement for human access'),
      },
    ],
    needsAPerson: ['the identity provider and its MFA enrolment for workforce sign-in'],
  },
  {
    number: 2,
    title: 'Encryption of personal information at rest and in transit',
    requirements: [
      {
        id: 'stores-encrypted',
        description: 'the personal data stores are encrypted with a customer-managed key',
        core: true,
        check: (f) => {
          const stores = MANAGED(f).filter((s) => s.key !== undefined);
          return stores.length > 0
            ? { evidence: stores.map((s) => ({ path: s.path, type: s.kind, stack: s.stack, logicalId: s.logicalId, setting: `key ${s.key}` })) }
            : { evidence: [], missing: 'no personal data store with a customer-managed key in the inventory' };
        },
      },
      {
        id: 'tls-only',
        description: 'bucket policies deny requests without TLS (aws:SecureTransport)',
        core: false,
        check: resourcesWhere(['AWS::S3::BucketPolicy'], 'AWS::S3::BucketPolicy denying aws:SecureTransport = false',
          (r) => (mentions(r.props.PolicyDocument, 'aws:SecureTransport') ? 'denies aws:SecureTransport = false' : undefined),
          'no bucket policy requires TLS'),
      },
      {
        id: 'key-rotation',
        description: 'the customer-managed keys rotate',
        core: false,
        check: resourcesWhere(['AWS::KMS::Key'], 'AWS::KMS::Key with EnableKeyRotation',
          (r) => (r.props.EnableKeyRotation === true ? 'EnableKeyRotation = true' : undefined), 'no rotating key'),
      },
    ],
    needsAPerson: [],
  },
  {
    number: 3,
    title: 'Account management and least privilege, including privileged accounts',
    requirements: [
      {
        id: 'roles',
        description: 'the roles that reach personal data are defined in the app (their policies checked by CcpaChecks)',
        core: true,
        check: resourcesWhere(['AWS::IAM::Role'], 'AWS::IAM::Role', () => 'policies checked by the least-privilege rules', 'no IAM role in the app'),
      },
      privilegedChangeAlerting,
    ],
    needsAPerson: ['joiner/mover/leaver reviews of human accounts and of who holds privileged roles'],
  },
  {
    number: 4,
    title: 'Inventory and classification of personal information, hardware and software',
    requirements: [
      {
        id: 'personal-data-inventory',
        description: 'the privacy inventory lists the personal data stores with their classification and categories',
        core: true,
        check: (f) => {
          const stores = MANAGED(f);
          return stores.length > 0
            ? { evidence: stores.map((s) => ({ path: s.path, type: s.kind, stack: s.stack, logicalId: s.logicalId, setting: `${s.classification}: ${s.categories.join(', ') || 'no category'}` })) }
            : { evidence: [], missing: 'no personal data store in the privacy inventory' };
        },
      },
      {
        id: 'every-store-classified',
        description: 'every data store carries its privacy classification tag',
        core: false,
        check: (f) => {
          const assumed = ASSUMED(f);
          return assumed.length === 0
            ? { evidence: f.inventory.map((s) => ({ path: s.path, type: s.kind, stack: s.stack, logicalId: s.logicalId, setting: `classification ${s.classification}` })) }
            : { evidence: [], missing: `${assumed.length} data store(s) without a privacy:classification tag, counted as personal: ${assumed.map((s) => s.path).join(', ')}` };
        },
      },
      {
        id: 'resource-inventory',
        description: 'AWS Config records the hardware and software (configuration recorder or Config rules)',
        core: false,
        check: resourcesWhere(['AWS::Config::ConfigurationRecorder', 'AWS::Config::ConfigRule', 'AWS::Config::ConformancePack', 'AWS::Config::OrganizationConformancePack'],
          'AWS::Config::ConfigurationRecorder, ConfigRule or ConformancePack', () => 'recorded by AWS Config', 'no AWS Config resource inventory'),
      },
    ],
    needsAPerson: ['the inventory of end-user hardware and software outside this app'],
  },
  {
    number: 5,
    title: 'Secure configuration, patch management and change management',
    requirements: [
      {
        id: 'config-rules',
        description: 'AWS Config rules check the deployed configuration continuously',
        core: true,
        check: resourcesWhere(['AWS::Config::ConfigRule', 'AWS::Config::ConformancePack', 'AWS::Config::OrganizationConformancePack'],
          'AWS::Config::ConfigRule or ConformancePack', () => 'evaluates the deployed configuration', 'no AWS Config rule'),
      },
      {
        id: 'preventive-guardrails',
        description: 'service control policies prevent insecure configuration',
        core: false,
        check: resourcesWhere(['AWS::Organizations::Policy'], 'AWS::Organizations::Policy of type SERVICE_CONTROL_POLICY',
          (r) => (r.props.Type === 'SERVICE_CONTROL_POLICY' ? `SCP ${r.props.Name ?? ''}`.trim() : undefined), 'no service control policy'),
      },
      {
        id: 'synth-time-checks',
        description: 'CcpaChecks runs at synth with no unacknowledged error',
        core: false,
        check: (f) => {
          const errors = f.findings.filter((x) => x.severity === 'error');
          return errors.length === 0
            ? { evidence: [{ path: '/', type: 'CcpaChecks', setting: `${f.rulesRun.length} rules, 0 unacknowledged errors` }] }
            : { evidence: [], missing: `${errors.length} unacknowledged CcpaChecks error(s): ${[...new Set(errors.map((e) => e.rule))].join(', ')}` };
        },
      },
    ],
    needsAPerson: ['the patching cadence and the approval of changes (who reviews a pull request before deploy)'],
  },
  {
    number: 6,
    title: 'Vulnerability scanning and penetration testing',
    requirements: [
      {
        id: 'vulnerability-scanning',
        description: 'Amazon Inspector scans the Lambda functions',
        core: true,
        check: (f) => {
          const evidence = f.resources.filter((r) => r.type.startsWith('AWS::InspectorV2::') || r.type === INSPECTOR_ENABLE_TYPE || r.path.includes('/CdkCcpaInspector')).map((r) => item(r, 'Inspector'));
          return evidence.length > 0 ? { evidence } : { evidence, missing: 'no Amazon Inspector scanning in the app (AWS::InspectorV2 resources)' };
        },
      },
    ],
    needsAPerson: ['penetration tests and their remediation'],
  },
  {
    number: 7,
    title: 'Audit-log management: centralized storage, retention and monitoring',
    requirements: [
      {
        id: 'trail',
        description: 'a CloudTrail trail records the management and data events of the account',
        core: true,
        check: (f) => {
          const evidence: EvidenceItem[] = [
            ...ofType(f, 'AWS::CloudTrail::Trail').filter((r) => r.props.IsLogging !== false).map((r) => item(r, `IsLogging = true${r.props.IsOrganizationTrail ? ', organization trail' : ''}`)),
            ...f.constructs.filter((c): c is OrganizationTrailCoverage => c instanceof OrganizationTrailCoverage)
              .map((c) => ({ path: c.node.path, type: 'OrganizationTrailCoverage', setting: `organization trail ${c.trailArn} (S3 data events ${c.s3DataEvents}, DynamoDB data events ${c.dynamoDbDataEvents})` })),
          ];
          return evidence.length > 0 ? { evidence } : { evidence, missing: 'no CloudTrail trail in the app and no OrganizationTrailCoverage declaring one' };
        },
      },
      {
        id: 'log-retention',
        description: 'every log group keeps its logs at least 365 days',
        core: false,
        check: (f) => {
          const groups = ofType(f, 'AWS::Logs::LogGroup');
          const short = groups.filter((r) => typeof r.props.RetentionInDays === 'number' && r.props.RetentionInDays < 365);
          if (groups.length === 0) return { evidence: [], missing: 'no log group in the app' };
          if (short.length > 0) return { evidence: [], missing: `log groups kept under 365 days: ${short.map((r) => `${r.path} (${r.props.RetentionInDays})`).join(', ')}` };
          return { evidence: groups.map((r) => item(r, `RetentionInDays = ${r.props.RetentionInDays ?? 'never expire'}`)) };
        },
      },
    ],
    needsAPerson: ['who reviews the logs and how often'],
  },
  {
    number: 8,
    title: 'Network monitoring, intrusion detection and data-loss prevention',
    requirements: [
      {
        id: 'intrusion-detection',
        description: 'Amazon GuardDuty is enabled',
        core: true,
        check: resourcesWhere(['AWS::GuardDuty::Detector'], 'AWS::GuardDuty::Detector',
          (r) => (r.props.Enable === true ? 'Enable = true' : undefined), 'no GuardDuty detector'),
      },
      {
        id: 'flow-logs',
        description: 'VPC flow logs record the traffic of the processing network',
        core: false,
        check: resourcesWhere(['AWS::EC2::FlowLog'], 'AWS::EC2::FlowLog', (r) => `TrafficType = ${r.props.TrafficType}`, 'no VPC flow log'),
      },
      {
        id: 'data-loss-prevention',
        description: 'Amazon Macie discovers personal data in the buckets',
        core: false,
        check: (f) => {
          const evidence = f.resources.filter((r) => r.type.startsWith('AWS::Macie::') || r.type === MACIE_JOB_TYPE || r.path.includes('/CdkCcpaMacie')).map((r) => item(r, 'Macie'));
          return evidence.length > 0 ? { evidence } : { evidence, missing: 'no Amazon Macie session or discovery job' };
        },
      },
    ],
    needsAPerson: [],
  },
  {
    number: 9,
    title: 'Anti-malware protection',
    requirements: [
      {
        id: 'malware-protection',
        description: 'GuardDuty Malware Protection scans the personal data buckets or the workloads',
        core: true,
        check: (f) => {
          const evidence = [
            ...ofType(f, 'AWS::GuardDuty::MalwareProtectionPlan').map((r) => item(r, 'S3 malware protection plan')),
            ...ofType(f, 'AWS::GuardDuty::Detector').filter((r) => mentions(r.props.Features, 'MALWARE_PROTECTION')).map((r) => item(r, 'malware protection feature')),
          ];
          return evidence.length > 0 ? { evidence } : { evidence, missing: 'no GuardDuty malware protection (AWS::GuardDuty::MalwareProtectionPlan or detector feature)' };
        },
      },
    ],
    needsAPerson: ['anti-malware on end-user devices'],
  },
  {
    number: 10,
    title: 'Network segmentation',
    requirements: [
      {
        id: 'private-network',
        description: 'functions that process personal data run in a VPC',
        core: true,
        check: resourcesWhere(['AWS::Lambda::Function'], 'AWS::Lambda::Function with VpcConfig',
          (r) => (listOf(objectOf(r.props.VpcConfig).SubnetIds).length > 0 ? `VpcConfig: ${listOf(objectOf(r.props.VpcConfig).SubnetIds).length} subnet(s)` : undefined),
          'no function runs in a VPC'),
      },
      {
        id: 'isolated-subnets',
        description: 'the VPC subnets give no public IP addresses',
        core: false,
        check: (f) => {
          const subnets = ofType(f, 'AWS::EC2::Subnet');
          const publicOnes = subnets.filter((r) => r.props.MapPublicIpOnLaunch === true);
          if (subnets.length === 0) return { evidence: [], missing: 'no subnet in the app' };
          if (publicOnes.length > 0) return { evidence: [], missing: `subnets map public IPs: ${publicOnes.map((r) => r.path).join(', ')}` };
          return { evidence: subnets.map((r) => item(r, 'MapPublicIpOnLaunch = false')) };
        },
      },
    ],
    needsAPerson: [],
  },
  {
    number: 11,
    title: 'Limiting and controlling ports, services and protocols',
    requirements: [
      {
        id: 'security-groups',
        description: 'security groups restrict the traffic of the processing network',
        core: true,
        check: resourcesWhere(['AWS::EC2::SecurityGroup'], 'AWS::EC2::SecurityGroup', (r) => `${listOf(r.props.SecurityGroupIngress).length} ingress rule(s)`, 'no security group'),
      },
      {
        id: 'vpc-endpoints',
        description: 'AWS services are reached through VPC endpoints, not the internet',
        core: false,
        check: resourcesWhere(['AWS::EC2::VPCEndpoint'], 'AWS::EC2::VPCEndpoint', (r) => `${r.props.VpcEndpointType ?? 'Gateway'} endpoint`, 'no VPC endpoint'),
      },
    ],
    needsAPerson: [],
  },
  { number: 12, title: 'Cybersecurity awareness', requirements: [], needsAPerson: ['the awareness programme and its records'] },
  { number: 13, title: 'Cybersecurity education and training', requirements: [], needsAPerson: ['training content and completion records, incl. for new hires'] },
  {
    number: 14,
    title: 'Secure development and coding practices',
    requirements: [
      {
        id: 'synth-time-checks',
        description: 'the infrastructure code is checked by CcpaChecks at synth with no unacknowledged error',
        core: true,
        check: (f) => {
          const errors = f.findings.filter((x) => x.severity === 'error');
          return errors.length === 0
            ? { evidence: [{ path: '/', type: 'CcpaChecks', setting: `${f.rulesRun.length} rules, ${f.findings.length} unacknowledged warning(s)` }] }
            : { evidence: [], missing: `${errors.length} unacknowledged CcpaChecks error(s)` };
        },
      },
    ],
    needsAPerson: ['code review, dependency management and the secure-development policy of the application code'],
  },
  { number: 15, title: 'Oversight of service providers, contractors and third parties', requirements: [], needsAPerson: ['the contracts and the review of each service provider'] },
  {
    number: 16,
    title: 'Retention schedules and disposal of personal information',
    requirements: [
      {
        id: 'deletion-latency',
        description: 'each personal data store has a bounded deletion latency (noncurrent versions, PITR window)',
        core: true,
        check: (f) => {
          const stores = MANAGED(f).filter((s) => s.deletionLatencyDays !== undefined);
          return stores.length > 0
            ? { evidence: stores.map((s) => ({ path: s.path, type: s.kind, stack: s.stack, logicalId: s.logicalId, setting: `deleted data gone after ${s.deletionLatencyDays} days` })) }
            : { evidence: [], missing: 'no store with a recorded deletion latency in the privacy inventory' };
        },
      },
      {
        id: 'bounded-backups',
        description: 'backups of personal data expire',
        core: false,
        check: (f) => (f.backupPlans.length > 0
          ? { evidence: f.backupPlans.map((p) => ({ path: p.path, type: 'PersonalDataBackupPlan', setting: `recovery points kept ${p.retentionDays} days` })) }
          : { evidence: [], missing: 'no backup plan with a retention in the privacy inventory' }),
      },
    ],
    needsAPerson: ['the retention schedule per category of personal information'],
  },
  {
    number: 17,
    title: 'Incident response',
    requirements: [
      {
        id: 'alarms',
        description: 'CloudWatch alarms notify someone',
        core: true,
        check: resourcesWhere(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'], 'an alarm with AlarmActions',
          (r) => (listOf(r.props.AlarmActions).length > 0 ? `${listOf(r.props.AlarmActions).length} alarm action(s)` : undefined), 'no alarm with an action'),
      },
      {
        id: 'encrypted-alert-topic',
        description: 'the alert topics are encrypted',
        core: false,
        check: resourcesWhere(['AWS::SNS::Topic'], 'AWS::SNS::Topic with KmsMasterKeyId',
          (r) => (r.props.KmsMasterKeyId !== undefined ? 'KmsMasterKeyId set' : undefined), 'no encrypted topic'),
      },
      privilegedChangeAlerting,
    ],
    needsAPerson: ['the incident response plan, its roles and its exercises'],
  },
  {
    number: 18,
    title: 'Business continuity: backups and recovery',
    requirements: [
      {
        id: 'backups',
        description: 'every personal data store is in a backup plan',
        core: true,
        check: (f) => {
          const stores = MANAGED(f);
          const backed = stores.filter((s) => s.backups.length > 0);
          const without = stores.filter((s) => s.backups.length === 0);
          if (backed.length === 0) return { evidence: [], missing: 'no personal data store is in a backup plan' };
          const evidence = backed.map((s) => ({ path: s.path, type: s.kind, stack: s.stack, logicalId: s.logicalId, setting: `backed up by ${s.backups.join(', ')}` }));
          return without.length === 0 ? { evidence } : { evidence, missing: `stores without backup: ${without.map((s) => s.path).join(', ')}` };
        },
      },
    ],
    needsAPerson: ['restore tests and the recovery plan'],
  },
];

/** The component numbers a rule's citations point at (`ccr-7123(c)(n)`; (10) covers (10)-(11)). */
export function componentsCited(cites: readonly string[]): number[] {
  const numbers = cites.flatMap((c) => {
    const m = /^ccr-7123\(c\)\((\d+)\)$/.exec(c);
    if (!m) return [];
    const n = Number(m[1]);
    return n === 10 ? [10, 11] : [n];
  });
  return [...new Set(numbers)];
}
