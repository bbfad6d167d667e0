import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { aliasName } from './key-alias';
import { accessLevelsFor } from '../classification/access-levels';
import { PrivacyClassification } from '../classification/privacy-classification';
import { PrivacyPrincipal } from '../classification/privacy-principal';
import { DataClassification, PrivacyAccessLevel } from '../classification/privacy-tag-keys';
import { PropsValidator } from '../private/validation';
import { viaServiceName } from '../private/via-service';
import { GranteeTagCheck, isServicePrincipal, principalResource, serviceForThisAccount } from './private/grantees';
import {
  administrationStatement, dsrWorkflowStatement, ENCRYPTION_USE_ACTIONS, explicitKmsActions, grantStatements,
  principalsWithAccessStatement,
} from './private/key-policy';
import { MIN_PENDING_WINDOW_DAYS, validateCommonProps } from './private/key-props';

/** What `grantEncrypt` grants: encrypting and the data-key operations S3 and DynamoDB call. */
const ENCRYPT_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** Props every privacy key shares. */
export interface PrivacyKeyOptions {
  /**
   * The alias. `alias/` is prepended when missing; `alias/aws/...` is refused.
   *
   * @default - `alias/privacy/<unique name from the construct path>`
   */
  readonly alias?: string;

  /**
   * The description shown in the KMS console.
   *
   * @default - says which classification of data the key protects and where it is defined
   */
  readonly description?: string;

  /**
   * The waiting period before a scheduled deletion completes. Shorter than 30 days is refused:
   * deleting the key destroys every record encrypted under it.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key when it leaves the stack. `DESTROY` schedules its deletion,
   * which makes everything encrypted under it unreadable (crypto-shredding).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Props of a PrivacyKey. */
export interface PrivacyKeyProps extends PrivacyKeyOptions {
  /**
   * The highest classification of data the key protects. Principals may use the key when
   * their `privacy:access` tag allows it: `personal` or `sensitive` for a `PERSONAL` key,
   * `sensitive` only for a `SENSITIVE` key. `NON_PERSONAL` is refused (use `kms.Key`).
   *
   * @default DataClassification.PERSONAL
   */
  readonly classification?: DataClassification;

  /**
   * The AWS services through which principals tagged `privacy:access` may use the key, as
   * `kms:ViaService` prefixes (`s3`, `dynamodb`, `sqs`, `secretsmanager`, ...). They never call
   * KMS directly: their data is read through the service. Roles tagged `privacy:workflow=dsr`
   * are not limited to these services.
   *
   * @default ['s3', 'dynamodb']
   */
  readonly viaServices?: string[];

  /**
   * How often KMS rotates the key material (90 to 2,560 days). Rotation is always on.
   *
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;
}

/**
 * A customer-managed KMS key for personal data: rotation on, a 30-day deletion window, `RETAIN`,
 * an alias, and a key policy under which only principals tagged `privacy:access` use it, through
 * the AWS services named.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#privacykey).
 */
export class PrivacyKey extends kms.Key {
  /** The classification of the data the key protects. */
  public readonly classification: DataClassification;
  /** The alias created for the key. */
  public readonly alias: kms.IAlias;
  /** The `kms:ViaService` prefixes through which tagged principals may use the key. */
  public readonly viaServices: string[];

  private readonly granteeCheck: GranteeTagCheck;
  private logsStatementCount = 0;
  private alarmsStatementCount = 0;
  private cloudTrailStatementCount = 0;
  private stepFunctionsStatementCount = 0;

  constructor(scope: Construct, id: string, props: PrivacyKeyProps = {}) {
    const classification = props.classification ?? DataClassification.PERSONAL;
    const viaServices = props.viaServices ?? ['s3', 'dynamodb'];
    const v = new PropsValidator(scope, 'InvalidPrivacyKeyProps');
    validateCommonProps(v, props);
    v.check(classification === DataClassification.NON_PERSONAL, 'NonPersonalKey',
      'classification "non-personal": a PrivacyKey protects personal information; use kms.Key for data that holds none');
    v.check(viaServices.length === 0, 'ViaServicesEmpty',
      'viaServices is empty: principals tagged privacy:access read personal data through an AWS service (s3, dynamodb, ...), so at least one is needed');
    for (const service of viaServices) {
      v.check(!Token.isUnresolved(service) && !/^[a-z0-9-]+$/.test(service), 'ViaServiceInvalid',
        `viaServices entry ${JSON.stringify(service)} is not a service prefix such as "s3" or "dynamodb" (the part before the region in kms:ViaService)`);
    }
    v.throwIfInvalid();

    super(scope, id, {
      description: props.description ?? `cdk-ccpa PrivacyKey for ${classification} data`,
      enableKeyRotation: true,
      rotationPeriod: props.rotationPeriod,
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      pendingWindow: props.pendingWindow ?? Duration.days(MIN_PENDING_WINDOW_DAYS),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument(),
    });

    this.classification = classification;
    this.viaServices = viaServices;
    const stack = Stack.of(this);
    const accessLevels = accessLevelsFor(classification);
    this.addToResourcePolicy(administrationStatement());
    this.addToResourcePolicy(principalsWithAccessStatement(stack, ENCRYPTION_USE_ACTIONS, accessLevels, viaServices));
    this.addToResourcePolicy(dsrWorkflowStatement(stack, ENCRYPTION_USE_ACTIONS));
    for (const statement of grantStatements()) {
      this.addToResourcePolicy(statement);
    }

    this.granteeCheck = new GranteeTagCheck(this, accessLevels);
    this.alias = this.addAlias(aliasName(this, props.alias, 'privacy'));
    PrivacyClassification.apply(this, { classification });
  }

  /**
   * Grant actions on this key. A role or user of this app is tagged
   * `privacy:access=<classification>` (levels only rise); a service principal gets a key-policy
   * statement limited to this account. The KMS wildcards aws-cdk-lib uses (`kms:ReEncrypt*`,
   * `kms:GenerateDataKey*`) are granted as the explicit actions they stand for.
   */
  public grant(grantee: iam.IGrantable, ...requested: string[]): iam.Grant {
    const actions = explicitKmsActions(requested);
    if (isServicePrincipal(grantee)) {
      return super.grant(serviceForThisAccount(this, grantee), ...actions);
    }
    const principal = principalResource(grantee);
    if (principal && principal.node.scope) {
      const level = this.classification === DataClassification.SENSITIVE ? PrivacyAccessLevel.SENSITIVE : PrivacyAccessLevel.PERSONAL;
      PrivacyPrincipal.tag(principal.node.scope, { access: level });
    }
    this.granteeCheck.add(grantee);
    return super.grant(grantee, ...actions);
  }

  /** Grant decryption (through `viaServices` for tagged principals). */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:Decrypt');
  }

  /** Grant encryption (through `viaServices` for tagged principals). */
  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...ENCRYPT_ACTIONS);
  }

  /** Grant encryption and decryption (through `viaServices` for tagged principals). */
  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:Decrypt', ...ENCRYPT_ACTIONS);
  }

  /**
   * Grant a role that executes data subject requests use of the key: tags it
   * `privacy:workflow=dsr` and adds the identity policy.
   */
  public grantToDsrWorkflow(grantee: iam.IGrantable): iam.Grant {
    const principal = principalResource(grantee);
    if (principal && principal.node.scope) {
      PrivacyPrincipal.tag(principal.node.scope, { dsrWorkflow: true });
    }
    this.granteeCheck.add(grantee);
    return super.grant(grantee, ...ENCRYPTION_USE_ACTIONS);
  }

  /**
   * Grant a principal that calls Step Functions on a state machine encrypted with this key the
   * KMS use those calls make on its behalf (Step Functions calls KMS with the caller's
   * credentials, e.g. `kms:GenerateDataKey` and `kms:Decrypt` for `StartExecution`). The identity
   * policy is limited to `kms:ViaService` `states.<region>` and to the encryption context
   * `aws:states:stateMachineArn` of that state machine; a role or user of this app is tagged
   * `privacy:workflow=dsr`, the tag under which the key policy allows use outside `viaServices`.
   *
   * @param stateMachineArn the ARN of the state machine (a formatted ARN; its name must be known)
   * @param actions the KMS actions, e.g. `kms:Decrypt`, `kms:GenerateDataKey`
   */
  public grantViaStepFunctions(grantee: iam.IGrantable, stateMachineArn: string, ...actions: string[]): iam.Grant {
    const principal = principalResource(grantee);
    if (principal && principal.node.scope) {
      PrivacyPrincipal.tag(principal.node.scope, { dsrWorkflow: true });
    }
    this.granteeCheck.add(grantee);
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: explicitKmsActions(actions),
      resourceArns: [this.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': viaServiceName(stack, 'states'),
          'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn,
        },
      },
    });
  }

  /**
   * Let Step Functions keep one state machine's definition and execution history encrypted with
   * this key (`EncryptionConfiguration` `CUSTOMER_MANAGED_KMS_KEY`). Adds to the key policy:
   * - deployment: `kms:GenerateDataKey` and `kms:Decrypt` for account principals only when
   *   CloudFormation (`aws:CalledVia`) calls Step Functions (`kms:ViaService` `states.<region>`)
   *   for this state machine (`kms:EncryptionContext:aws:states:stateMachineArn`): creating and
   *   updating an encrypted state machine uses the deployer's permissions, while an administrator
   *   calling Step Functions directly (`GetExecutionHistory`, `DescribeExecution` with data) stays
   *   denied;
   * - log delivery (once per key): `kms:Decrypt` for `delivery.logs.amazonaws.com` of the data
   *   Step Functions encrypted for CloudWatch Logs in this account and region
   *   (`kms:EncryptionContext:SourceArn` `arn:<partition>:logs:<region>:<account>:*`).
   *
   * The state machine's own role still needs a key-policy principal (tag it
   * `privacy:workflow=dsr`) and an identity policy; callers get theirs from `grantViaStepFunctions`.
   *
   * @param stateMachineArn `arn:<partition>:states:<region>:<account>:stateMachine:<name>`
   */
  public allowStepFunctions(stateMachineArn: string): void {
    const v = new PropsValidator(this, 'InvalidStateMachineArn');
    v.check(!Token.isUnresolved(stateMachineArn) && !/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(stateMachineArn), 'StateMachineArnInvalid',
      `allowStepFunctions: stateMachineArn ${JSON.stringify(stateMachineArn)} is not the ARN of one state machine (arn:<partition>:states:<region>:<account>:stateMachine:<name>)`);
    v.throwIfInvalid();
    const stack = Stack.of(this);
    const count = this.stepFunctionsStatementCount++;
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowStepFunctionsDeploymentByCloudFormation${count || ''}`,
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        'StringEquals': {
          'kms:CallerAccount': stack.account,
          'kms:ViaService': viaServiceName(stack, 'states'),
          'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn,
        },
        'ForAnyValue:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' },
      },
    }));
    if (count === 0) {
      this.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowStepFunctionsLogDelivery',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
          },
        },
      }));
    }
  }

  /**
   * Let CloudTrail encrypt the log and digest files of one trail with the key, and describe the
   * key: `kms:GenerateDataKey` limited by the `kms:EncryptionContext:aws:cloudtrail:arn` condition
   * CloudTrail documents, and both statements by `aws:SourceArn`, the confused-deputy guard
   * CloudTrail recommends over `aws:SourceAccount`.
   *
   * @param trailArn the ARN of the trail, e.g. `arn:aws:cloudtrail:us-east-1:111122223333:trail/privacy-audit`
   *   (the trail's home region; for an organization trail, the ARN in the management account).
   *   Wildcards are accepted in the encryption-context match only, not in `aws:SourceArn`.
   */
  public allowCloudTrail(trailArn: string): void {
    const v = new PropsValidator(this, 'InvalidCloudTrailArn');
    v.check(!Token.isUnresolved(trailArn) && !/^arn:[a-z-]+:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]+$/.test(trailArn), 'TrailArnInvalid',
      `allowCloudTrail: trailArn ${JSON.stringify(trailArn)} is not the ARN of one trail (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>): the key policy must name exactly the trails that may encrypt audit logs with a key for personal data`);
    v.throwIfInvalid();
    const suffix = this.cloudTrailStatementCount++ || '';
    const cloudtrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowCloudTrailEncryptLogs${suffix}`,
      principals: [cloudtrail],
      actions: ['kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
      },
    }));
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowCloudTrailDescribeKey${suffix}`,
      principals: [cloudtrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }));
  }

  /**
   * Let CloudWatch Logs encrypt log groups of this account and region with the key (scoped by
   * the `kms:EncryptionContext:aws:logs:arn` condition AWS documents).
   *
   * @param logGroupNamePattern the log group names allowed, `*` wildcards allowed. Default: all.
   */
  public allowCloudWatchLogs(logGroupNamePattern: string = '*'): void {
    const stack = Stack.of(this);
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowCloudWatchLogs${this.logsStatementCount++ || ''}`,
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
      actions: ENCRYPTION_USE_ACTIONS,
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs', resource: 'log-group', resourceName: logGroupNamePattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }));
  }

  /**
   * Let CloudWatch alarms of this account and region publish to an SNS topic encrypted with this
   * key: `cloudwatch.amazonaws.com` may `kms:Decrypt` and `kms:GenerateDataKey*` only for an alarm
   * of this account (`aws:SourceAccount`) whose ARN matches (`aws:SourceArn`). Without it, an
   * alarm's SNS action fails silently on a topic encrypted with a customer-managed key.
   *
   * @param alarmNamePattern the alarm names allowed, `*` wildcards allowed. Default: all.
   */
  public allowCloudWatchAlarms(alarmNamePattern: string = '*'): void {
    const stack = Stack.of(this);
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowCloudWatchAlarms${this.alarmsStatementCount++ || ''}`,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch', resource: 'alarm', resourceName: alarmNamePattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }));
  }
}
