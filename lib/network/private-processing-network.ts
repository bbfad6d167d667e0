import { Names, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataCategory } from '../classification/data-category';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification, DsrCoverage } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';
import { acknowledgeAll, defaultPolicyOf, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../private/acknowledgements';
import { cite } from '../private/provisions';
import { PropsValidator } from '../private/validation';

/** No law sets the period of network security logs (11 CCR § 7123(c)(8)); 365 days is this library's choice: a year of evidence. */
const MIN_FLOW_LOG_DAYS = 365;
const HTTPS = ec2.Port.tcp(443);
const NO_INTERNET = 'personal-data processing must not reach the internet (reasonable security, Cal. Civ. Code 1798.81.5(b))';

/** Props of a PrivateProcessingNetwork. */
export interface PrivateProcessingNetworkProps {
  /**
   * A VPC you already have. It must have PRIVATE_ISOLATED subnets (no route to an internet
   * gateway or NAT): the endpoints and the functions are placed in them, and only in them. Its
   * flow logs are yours to configure.
   *
   * @default - a new VPC with only PRIVATE_ISOLATED subnets in 2 Availability Zones (no internet
   * gateway, no NAT gateway) and flow logs (all traffic) to an encrypted log group
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The address range of the VPC this construct builds (not with `vpc`).
   *
   * @default ec2.IpAddresses.cidr('10.0.0.0/16')
   */
  readonly ipAddresses?: ec2.IIpAddresses;

  /**
   * The AWS services reached through interface endpoints (private DNS on). S3 and DynamoDB are
   * always reached through gateway endpoints.
   *
   * @default - KMS, STS, Step Functions, CloudWatch Logs, EventBridge
   * (`PrivateProcessingNetwork.DEFAULT_INTERFACE_ENDPOINT_SERVICES`)
   */
  readonly interfaceEndpointServices?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * Give every interface endpoint the policy the gateway endpoints have: only this account's
   * principals acting on this account's resources (`aws:PrincipalAccount` and `aws:ResourceAccount`),
   * so that credentials or data cannot reach another account through the endpoints. Turn it off
   * only for a service in `interfaceEndpointServices` whose calls name resources AWS owns (for
   * example ECR pulls of AWS-managed images, or AWS-owned SSM documents), which it would refuse.
   *
   * @default true
   */
  readonly restrictInterfaceEndpointsToAccount?: boolean;

  /**
   * The id of the AWS-managed prefix list `com.amazonaws.<region>.s3` (`pl-...`). With
   * `dynamoDbPrefixListId` (give both or neither), the functions may send HTTPS only to the
   * interface endpoints and these two prefix lists.
   *
   * @default - no prefix list: the functions may send HTTPS (443 only) to any IPv4 address, which
   * from the isolated subnets of this network (no internet gateway, no NAT; routes only within the
   * VPC and to S3 and DynamoDB through the gateway endpoints) reaches only addresses in the VPC and
   * S3 and DynamoDB of this region; synthesizes in any stack, with no lookup and no credentials
   */
  readonly s3PrefixListId?: string;

  /**
   * The id of the AWS-managed prefix list `com.amazonaws.<region>.dynamodb` (`pl-...`); see `s3PrefixListId`.
   *
   * @default - no prefix list, like `s3PrefixListId`
   */
  readonly dynamoDbPrefixListId?: string;

  /**
   * Look the two prefix lists up by name at synth (`ec2.PrefixList.fromLookup`) instead of giving
   * their ids. Needs a stack with a concrete account and region, and AWS credentials at the first
   * synth (the ids are then cached in cdk.context.json).
   *
   * @default false
   */
  readonly lookUpPrefixLists?: boolean;

  /**
   * The key of the flow log group of the VPC this construct builds (not with `vpc`).
   *
   * @default - a new PrivacyKey (personal)
   */
  readonly encryptionKey?: PrivacyKey;

  /**
   * How long flow log records are kept: at least 365 days (not with `vpc`).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A network for personal-data processing with no route to the internet: isolated subnets,
 * account-only gateway and interface endpoints, and security groups that allow HTTPS between the
 * functions and the endpoints only.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#privateprocessingnetwork).
 */
export class PrivateProcessingNetwork extends Construct {
  /** What the DSR handlers call besides S3 and DynamoDB (KMS, EventBridge), and what Lambda-based processing commonly needs (STS, Step Functions, CloudWatch Logs). */
  public static readonly DEFAULT_INTERFACE_ENDPOINT_SERVICES: ec2.InterfaceVpcEndpointAwsService[] = [
    ec2.InterfaceVpcEndpointAwsService.KMS,
    ec2.InterfaceVpcEndpointAwsService.STS,
    ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
    ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  ];

  /** The VPC (built here or given). */
  public readonly vpc: ec2.IVpc;
  /** The subnets functions and endpoints are placed in: the VPC's PRIVATE_ISOLATED subnets. */
  public readonly subnetSelection: ec2.SubnetSelection;
  /**
   * The group of the functions, no ingress: egress HTTPS only to the endpoints' group and the S3 and
   * DynamoDB prefix lists, or without prefix list ids to any IPv4 address on 443 (which the isolated
   * subnets route only within the VPC and to the gateway endpoints).
   */
  public readonly handlerSecurityGroup: ec2.SecurityGroup;
  /** The group of the interface endpoints: ingress HTTPS only from `handlerSecurityGroup`, no egress. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The DynamoDB gateway endpoint. */
  public readonly dynamoDbEndpoint: ec2.GatewayVpcEndpoint;
  /** The interface endpoints, in the order of `interfaceEndpointServices`. */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];
  /** The services of the interface endpoints. */
  public readonly interfaceEndpointServices: ec2.InterfaceVpcEndpointAwsService[];
  /** The id of the S3 prefix list the functions may reach (undefined when egress is not narrowed to prefix lists). */
  public readonly s3PrefixListId?: string;
  /** The id of the DynamoDB prefix list the functions may reach (undefined when egress is not narrowed to prefix lists). */
  public readonly dynamoDbPrefixListId?: string;
  /** The flow log of the VPC this construct built (undefined for a given `vpc`). */
  public readonly flowLog?: ec2.FlowLog;
  /** The flow log group (undefined for a given `vpc`). */
  public readonly flowLogGroup?: logs.LogGroup;
  /** The key of the flow log group (undefined for a given `vpc`). */
  public readonly encryptionKey?: PrivacyKey;

  constructor(scope: Construct, id: string, props: PrivateProcessingNetworkProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const services = props.interfaceEndpointServices ?? PrivateProcessingNetwork.DEFAULT_INTERFACE_ENDPOINT_SERVICES;
    validate(this, props, services, stack);
    this.interfaceEndpointServices = [...services];

    this.subnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      const vpc = new ec2.Vpc(this, 'Vpc', {
        ipAddresses: props.ipAddresses ?? ec2.IpAddresses.cidr('10.0.0.0/16'),
        maxAzs: 2,
        natGateways: 0,
        createInternetGateway: false,
        subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
        enableDnsHostnames: true, // private DNS of the interface endpoints needs both
        enableDnsSupport: true,
        restrictDefaultSecurityGroup: false, // see below: no custom resource Lambda outside the VPC
      });
      this.vpc = vpc;
      acknowledgeAll(vpc.node.defaultChild!, packRuleIds(HIPAA_NIST_PCI_PACKS, 'VPCDefaultSecurityGroupClosed'),
        'Nothing is placed in the default security group: the functions and the interface endpoints have their own groups (HTTPS between them, and to S3 and DynamoDB through the gateway endpoints). The VPC has no internet gateway or NAT, so the default group reaches nothing outside it. Removing its rules would take a custom resource Lambda outside this VPC.');
      this.encryptionKey = props.encryptionKey ?? new PrivacyKey(this, 'FlowLogKey');
      const logGroupName = `/cdk-ccpa/vpc-flow-logs/${Names.uniqueResourceName(this, { maxLength: 64 })}`;
      this.encryptionKey.allowCloudWatchLogs(logGroupName);
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
        logGroupName,
        retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: this.encryptionKey,
      });
      // source and destination addresses of the functions' traffic: device data (Civ. Code 1798.140(v)(1)(A))
      PrivacyClassification.apply(this.flowLogGroup, {
        classification: DataClassification.PERSONAL,
        categories: [DataCategory.DEVICE],
        dsr: DsrCoverage.EXEMPT,
      });
      this.flowLog = vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
      acknowledgeAll(defaultPolicyOf(this.flowLog.node.findChild('IAMRole') as iam.IRole)!, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'),
        'The policy of the flow log delivery role, created and deleted with it: it lets VPC Flow Logs write to this one log group and pass this one role; as a customer managed policy it could be attached to other principals.');
    }

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'cdk-ccpa PrivateProcessingNetwork: interface endpoints, HTTPS from the processing functions only',
      allowAllOutbound: false,
    });
    this.handlerSecurityGroup = new ec2.SecurityGroup(this, 'HandlerSecurityGroup', {
      vpc: this.vpc,
      description: 'cdk-ccpa PrivateProcessingNetwork: processing functions, HTTPS to the VPC endpoints only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(this.handlerSecurityGroup, HTTPS, 'HTTPS from the processing functions');
    this.handlerSecurityGroup.addEgressRule(this.endpointSecurityGroup, HTTPS, 'HTTPS to the interface endpoints');

    const gatewaySubnets = [this.subnetSelection];
    this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', { vpc: this.vpc, service: ec2.GatewayVpcEndpointAwsService.S3, subnets: gatewaySubnets });
    this.dynamoDbEndpoint = new ec2.GatewayVpcEndpoint(this, 'DynamoDbEndpoint', { vpc: this.vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: gatewaySubnets });
    // Principal '*' with conditions: in an endpoint policy an account principal means its root user only
    const thisAccountOnly = () => new iam.PolicyStatement({
      sid: 'OnlyThisAccountsPrincipalsAndResources',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': stack.account, 'aws:ResourceAccount': stack.account } },
    });
    for (const endpoint of [this.s3Endpoint, this.dynamoDbEndpoint]) endpoint.addToPolicy(thisAccountOnly());

    const lookUp = props.lookUpPrefixLists ?? false;
    this.s3PrefixListId = props.s3PrefixListId ?? (lookUp ? lookUpPrefixList(this, 'S3PrefixList', 's3') : undefined);
    this.dynamoDbPrefixListId = props.dynamoDbPrefixListId ?? (lookUp ? lookUpPrefixList(this, 'DynamoDbPrefixList', 'dynamodb') : undefined);
    if (this.s3PrefixListId !== undefined && this.dynamoDbPrefixListId !== undefined) {
      this.handlerSecurityGroup.addEgressRule(ec2.Peer.prefixList(this.s3PrefixListId), HTTPS, 'HTTPS to S3 through its gateway endpoint');
      this.handlerSecurityGroup.addEgressRule(ec2.Peer.prefixList(this.dynamoDbPrefixListId), HTTPS, 'HTTPS to DynamoDB through its gateway endpoint');
    } else {
      // CloudFormation cannot name an AWS-managed prefix list without a lookup; the isolated subnets
      // have no route out of the VPC except the gateway endpoints, so this reaches only those and the VPC.
      this.handlerSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), HTTPS,
        'HTTPS to S3 and DynamoDB through the gateway endpoints: isolated subnets have no other route out of the VPC');
    }

    this.interfaceEndpoints = services.map((service) => new ec2.InterfaceVpcEndpoint(this, `${endpointId(service)}Endpoint`, {
      vpc: this.vpc,
      service,
      subnets: { ...this.subnetSelection, onePerAz: true },
      privateDnsEnabled: true,
      securityGroups: [this.endpointSecurityGroup],
      open: false, // ingress only from handlerSecurityGroup (above), not from the whole VPC
    }));
    if (props.restrictInterfaceEndpointsToAccount ?? true) {
      for (const endpoint of this.interfaceEndpoints) endpoint.addToPolicy(thisAccountOnly());
    }
  }
}

/** `com.amazonaws.us-east-1.states` -> `States`. */
function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return service.shortName.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

function lookUpPrefixList(scope: Construct, id: string, service: string): string {
  const stack = Stack.of(scope);
  return ec2.PrefixList.fromLookup(scope, id, { prefixListName: `com.amazonaws.${stack.region}.${service}` }).prefixListId;
}

function validate(scope: Construct, props: PrivateProcessingNetworkProps, services: ec2.InterfaceVpcEndpointAwsService[], stack: Stack): void {
  const v = new PropsValidator(scope, 'InvalidPrivateProcessingNetworkProps');
  if (props.vpc) {
    v.check(props.vpc.isolatedSubnets.length === 0, 'VpcWithoutIsolatedSubnets',
      `vpc ${Token.isUnresolved(props.vpc.vpcId) ? scopePath(props.vpc) : props.vpc.vpcId} has no PRIVATE_ISOLATED subnets: the functions and endpoints are placed only in isolated subnets (no route to an internet gateway or NAT), because ${NO_INTERNET}`);
    for (const name of ['ipAddresses', 'encryptionKey', 'flowLogRetention'] as const) {
      v.check(props[name] !== undefined, 'PropIgnoredWithVpc', `${name} with vpc: it configures the VPC this construct builds; configure your own VPC (and its flow logs) yourself`);
    }
  }
  const retention = props.flowLogRetention;
  if (retention !== undefined && !Token.isUnresolved(retention)) {
    v.check(retention !== logs.RetentionDays.INFINITE && retention < MIN_FLOW_LOG_DAYS, 'FlowLogRetentionTooShort',
      `flowLogRetention ${retention} days: network records of personal-data processing are kept at least ${MIN_FLOW_LOG_DAYS} days (this library's choice: a year of security evidence, ${cite('ccr-7123(c)(7)')}); set at least ${MIN_FLOW_LOG_DAYS} days.`);
  }
  const agnostic = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region);
  const given = (['s3PrefixListId', 'dynamoDbPrefixListId'] as const).filter((name) => props[name] !== undefined);
  v.check(given.length === 1, 'PrefixListIdAlone',
    `${given[0]} without ${given[0] === 's3PrefixListId' ? 'dynamoDbPrefixListId' : 's3PrefixListId'}: the functions' egress is narrowed to the two prefix lists together or not at all; give both ids or neither`);
  v.check((props.lookUpPrefixLists ?? false) && given.length < 2 && agnostic, 'PrefixListLookupNeedsEnv',
    'lookUpPrefixLists true in an environment-agnostic stack: a prefix list is looked up by name only in a stack with a concrete account and region; give the stack\'s env, or both prefix list ids (aws ec2 describe-managed-prefix-lists)');
  for (const name of given) {
    const value = props[name]!;
    if (!Token.isUnresolved(value)) {
      v.check(!/^pl-[0-9a-f]{8,17}$/.test(value), 'PrefixListIdInvalid', `${name} ${JSON.stringify(value)} is not a prefix list id: pass pl- followed by 8 to 17 hex digits.`);
    }
  }
  const names = services.map((s) => s.shortName);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  v.check(duplicates.length > 0, 'InterfaceEndpointDuplicate', `interfaceEndpointServices lists ${duplicates.join(', ')} more than once: list each service once, as a VPC takes one endpoint per service.`);
  v.throwIfInvalid();
}

function scopePath(vpc: ec2.IVpc): string {
  return vpc.node.path;
}
