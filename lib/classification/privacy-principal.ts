import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PrivacyAccessLevel, PrivacyTagKeys } from './privacy-tag-keys';
import { PropsValidator } from '../private/validation';

/** Which privacy principal tags to give a role or user. */
export interface PrivacyPrincipalProps {
  /**
   * The highest classification the principal may read (`privacy:access`).
   *
   * @default - no access tag: the principal cannot use privacy keys or read personal-data stores
   */
  readonly access?: PrivacyAccessLevel;

  /**
   * Whether the principal executes data subject requests (`privacy:workflow=dsr`).
   *
   * @default false
   */
  readonly dsrWorkflow?: boolean;

  /**
   * Whether the principal is the AWS Backup role of personal-data stores
   * (`privacy:workflow=backup`): pooled stores let it read and restore every tenant's data, as
   * whole-store backups must; it still needs `access` to read data. Exclusive with `dsrWorkflow`
   * (the tag holds one workflow).
   *
   * @default false
   */
  readonly backupWorkflow?: boolean;
}

/**
 * Principal tags of the ABAC model (the README's tag model) on IAM roles and users.
 *
 * Key policies and bucket/table policies of this library allow data access only to principals
 * carrying these tags. Who may set them (`iam:TagRole`, `sts:TagSession`) is therefore part of
 * the security boundary: keep it to the deployment pipeline (EncryptionScp protects `privacy:*` tags).
 */
export class PrivacyPrincipal {
  /**
   * Tag an IAM role or user construct (or a construct whose role it is, such as a Lambda
   * function's role). Access levels only ever rise: tagging `PERSONAL` after `SENSITIVE` keeps
   * `SENSITIVE`.
   */
  public static tag(principal: IConstruct, props: PrivacyPrincipalProps): void {
    new PropsValidator(principal, 'InvalidPrivacyPrincipalProps')
      .check(props.dsrWorkflow === true && props.backupWorkflow === true, 'TwoWorkflows',
        'dsrWorkflow and backupWorkflow are both true: privacy:workflow holds one workflow; give data subject requests and backups separate roles')
      .throwIfInvalid();
    if (props.access) {
      // higher levels win through tag priority, so grants in any order give the highest one
      Tags.of(principal).add(PrivacyTagKeys.ACCESS, props.access, {
        priority: props.access === PrivacyAccessLevel.SENSITIVE ? 300 : 200,
        includeResourceTypes: PRINCIPAL_RESOURCE_TYPES,
      });
    }
    if (props.dsrWorkflow) {
      Tags.of(principal).add(PrivacyTagKeys.WORKFLOW, PrivacyTagKeys.WORKFLOW_DSR, {
        priority: 300,
        includeResourceTypes: PRINCIPAL_RESOURCE_TYPES,
      });
    }
    if (props.backupWorkflow) {
      Tags.of(principal).add(PrivacyTagKeys.WORKFLOW, PrivacyTagKeys.WORKFLOW_BACKUP, {
        priority: 300,
        includeResourceTypes: PRINCIPAL_RESOURCE_TYPES,
      });
    }
  }

  private constructor() {}
}

/** Principal tags belong on principals only, not on every resource below a construct. */
const PRINCIPAL_RESOURCE_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User'];
