import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PrivacyClassification } from '../classification/privacy-classification';
import { DataClassification } from '../classification/privacy-tag-keys';
import { PrivacyKey } from '../encryption/privacy-key';

/** Props of PrivilegedChangeAlerts. */
export interface PrivilegedChangeAlertsProps {
  /**
   * The alias of the PrivacyKey that encrypts the alert topic.
   *
   * @default - `alias/privacy/<unique name from the construct path>`
   */
  readonly keyAlias?: string;

  /**
   * Watch IAM and AWS Organizations too. CloudTrail delivers their events to EventBridge in
   * us-east-1 only: deploy one PrivilegedChangeAlerts there with `true` and, in other regions,
   * with `false` (KMS events are regional).
   *
   * @default true
   */
  readonly includeGlobalServices?: boolean;
}

/** IAM calls that change who may do what (identities, their policies, their credentials, the identity providers). */
const IAM_EVENTS = [
  'AddUserToGroup', 'AttachGroupPolicy', 'AttachRolePolicy', 'AttachUserPolicy', 'CreateAccessKey', 'CreateLoginProfile',
  'CreateOpenIDConnectProvider', 'CreatePolicyVersion', 'CreateRole', 'CreateSAMLProvider', 'CreateUser', 'DeactivateMFADevice',
  'DeleteRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'PutGroupPolicy', 'PutRolePermissionsBoundary', 'PutRolePolicy',
  'PutUserPermissionsBoundary', 'PutUserPolicy', 'SetDefaultPolicyVersion', 'UpdateAssumeRolePolicy', 'UpdateLoginProfile',
  'UpdateOpenIDConnectProviderThumbprint', 'UpdateSAMLProvider',
];
/** KMS calls that take a key away from its data or change who may use it. */
const KMS_EVENTS = [
  'CancelKeyDeletion', 'DeleteImportedKeyMaterial', 'DisableKey', 'DisableKeyRotation', 'PutKeyPolicy', 'ScheduleKeyDeletion',
];
/** Organizations calls that change the service control policies or the accounts under them. */
const ORGANIZATIONS_EVENTS = [
  'AttachPolicy', 'CreatePolicy', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'LeaveOrganization',
  'RemoveAccountFromOrganization', 'UpdatePolicy',
];

/**
 * EventBridge rules that alert on privileged changes (IAM identities and policies, KMS keys,
 * Organizations SCPs) recorded by CloudTrail, published to an SNS topic encrypted with its own
 * PrivacyKey (11 CCR § 7123(c)(3) and (17)). Subscribe the responders to `topic`. Needs a
 * CloudTrail trail with management events. Cost driver: the key ($1 a month) and SNS deliveries.
 */
export class PrivilegedChangeAlerts extends Construct {
  /** The `eventName`s each rule watches, by event source (`aws.iam`, `aws.kms`, `aws.organizations`). */
  public static readonly WATCHED_EVENTS: Record<string, string[]> = {
    'aws.iam': IAM_EVENTS,
    'aws.kms': KMS_EVENTS,
    'aws.organizations': ORGANIZATIONS_EVENTS,
  };

  /** The alert topic (encrypted, TLS only): subscribe the people who respond. */
  public readonly topic: sns.Topic;
  /** Encrypts the topic; alerts name principals and source IP addresses, so it is a PrivacyKey. */
  public readonly encryptionKey: PrivacyKey;
  /** The rules, one per event source. */
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: PrivilegedChangeAlertsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.encryptionKey = new PrivacyKey(this, 'Key', {
      alias: props.keyAlias,
      description: 'cdk-ccpa PrivilegedChangeAlerts: the alert topic',
      viaServices: ['sns'],
    });
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.encryptionKey, enforceSSL: true });
    // EventBridge publishes to a topic under a customer-managed key only if the key policy lets it
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions),
    // here for the rules of this account only.
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToPublishAlerts',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
      },
    }));

    const sources = props.includeGlobalServices === false ? ['aws.kms'] : ['aws.iam', 'aws.kms', 'aws.organizations'];
    this.rules = sources.map((source) => {
      const name = source.replace('aws.', '');
      const rule = new events.Rule(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Changes`, {
        description: `cdk-ccpa: alert on privileged ${name} changes`,
        eventPattern: {
          source: [source],
          detailType: ['AWS API Call via CloudTrail'],
          detail: { eventSource: [`${name}.amazonaws.com`], eventName: PrivilegedChangeAlerts.WATCHED_EVENTS[source] },
        },
      });
      rule.addTarget(new targets.SnsTopic(this.topic));
      return rule;
    });
    // The topic carries CloudTrail records: principal names and source IP addresses.
    PrivacyClassification.apply(this.topic, { classification: DataClassification.PERSONAL });
  }
}
