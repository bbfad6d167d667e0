import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { aliasName } from './key-alias';
import { PrivacyKeyOptions } from './privacy-key';
import { GranteeTagCheck, isServicePrincipal, serviceForThisAccount } from './private/grantees';
import { administrationStatement, dsrWorkflowStatement, grantStatements, MAC_USE_ACTIONS, principalsWithAccessStatement } from './private/key-policy';
import { MIN_PENDING_WINDOW_DAYS, validateCommonProps } from './private/key-props';
import { PrivacyAccessLevel } from '../classification/privacy-tag-keys';
import { PropsValidator } from '../private/validation';

/** Props of a PseudonymizationKey. */
export interface PseudonymizationKeyProps extends PrivacyKeyOptions {}

/**
 * An HMAC_256 KMS key that turns subject identifiers into stable pseudonyms (`kms:GenerateMac`),
 * usable only by tagged principals of this account and never rotated.
 *
 * Design notes: [docs/constructs.md](docs/constructs.md#pseudonymizationkey).
 */
export class PseudonymizationKey extends kms.Key {
  /** The alias created for the key. */
  public readonly alias: kms.IAlias;

  private readonly granteeCheck: GranteeTagCheck;

  constructor(scope: Construct, id: string, props: PseudonymizationKeyProps = {}) {
    const v = new PropsValidator(scope, 'InvalidPseudonymizationKeyProps');
    validateCommonProps(v, props);
    v.throwIfInvalid();

    super(scope, id, {
      description: props.description ?? 'cdk-ccpa PseudonymizationKey: HMAC of data subject identifiers',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      enableKeyRotation: false,
      pendingWindow: props.pendingWindow ?? Duration.days(MIN_PENDING_WINDOW_DAYS),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument(),
    });

    const stack = Stack.of(this);
    const anyAccess = [PrivacyAccessLevel.PERSONAL, PrivacyAccessLevel.SENSITIVE];
    this.addToResourcePolicy(administrationStatement());
    this.addToResourcePolicy(principalsWithAccessStatement(stack, MAC_USE_ACTIONS, anyAccess, undefined));
    this.addToResourcePolicy(dsrWorkflowStatement(stack, MAC_USE_ACTIONS));
    for (const statement of grantStatements()) {
      this.addToResourcePolicy(statement);
    }

    this.granteeCheck = new GranteeTagCheck(this, anyAccess);
    this.alias = this.addAlias(aliasName(this, props.alias, 'pseudonymization'));
  }

  /** Grant actions on this key; a grantee of this app must carry an accepted principal tag. */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    if (isServicePrincipal(grantee)) {
      return super.grant(serviceForThisAccount(this, grantee), ...actions);
    }
    this.granteeCheck.add(grantee);
    return super.grant(grantee, ...actions);
  }

  /** Grant computing pseudonyms (`kms:GenerateMac`). */
  public grantGenerateMac(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:GenerateMac');
  }

  /** Grant verifying pseudonyms (`kms:VerifyMac`). */
  public grantVerifyMac(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kms:VerifyMac');
  }
}
