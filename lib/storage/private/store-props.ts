import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DataCategory } from '../../classification/data-category';
import { DataPurpose } from '../../classification/data-purpose';
import { PrivacyClassification } from '../../classification/privacy-classification';
import { DataClassification, DsrCoverage, TenancyModel } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';
import { PropsValidator } from '../../private/validation';
import { isTenantId } from '../subject-key-layout';

/** Refuse `NON_PERSONAL` on a personal data store. */
export function classificationOf(v: PropsValidator, classification: DataClassification, alternative: string): void {
  v.check(classification === DataClassification.NON_PERSONAL, 'NonPersonalStore',
    `classification "non-personal" is refused for a personal data store: use ${alternative} tagged with PrivacyClassification.apply(..., { classification: NON_PERSONAL }) instead.`);
}

/** Refuse a key whose classification is below the store's (its policy would let `personal` readers decrypt sensitive data). */
export function checkKey(v: PropsValidator, key: PrivacyKey | undefined, classification: DataClassification): void {
  if (key === undefined) {
    return;
  }
  v.check(classification === DataClassification.SENSITIVE && key.classification !== DataClassification.SENSITIVE, 'KeyBelowStoreClassification',
    `encryptionKey ${key.node.path} is classified "${key.classification}" but the store is "sensitive" (personal-level readers could decrypt it): pass a PrivacyKey with classification SENSITIVE.`);
}

/** `siloTenant`: a tenant id, on a SILO store only. */
export function checkSiloTenant(v: PropsValidator, tenancy: TenancyModel, siloTenant: string | undefined): void {
  if (siloTenant === undefined) return;
  v.check(tenancy !== TenancyModel.SILO, 'SiloTenantOnPooledStore',
    `siloTenant "${siloTenant}" is set on a ${tenancy} store, whose records are already scoped by their tenant key: remove siloTenant, or make the store TenancyModel.SILO.`);
  v.check(Token.isUnresolved(siloTenant) || !isTenantId(siloTenant), 'SiloTenantInvalid',
    `siloTenant "${siloTenant}" is not a tenant id: use 1 to 64 letters, digits, "_" or "-", starting with a letter or digit, without tokens (separators would let one tenant reach another's keys).`);
}

/** The props every personal data store declares on its resource, as the user gave them. */
export interface DeclaredStoreProps {
  readonly categories?: DataCategory[];
  readonly owner?: string;
  readonly purposes?: DataPurpose[];
  readonly retention?: Duration;
  readonly indefiniteRetentionReason?: string;
}

/**
 * Tag a store's resource with its classification, tenancy, DSR coverage and the user's declared
 * categories, owner, purposes and retention (PrivacyClassification validates the retention and its
 * reason).
 */
export function classifyStore(resource: IConstruct, classification: DataClassification, tenancy: TenancyModel, dsr: DsrCoverage,
  props: DeclaredStoreProps): void {
  PrivacyClassification.apply(resource, {
    classification,
    categories: props.categories,
    tenancy,
    dsr,
    owner: props.owner,
    purposes: props.purposes,
    retention: props.retention,
    indefiniteRetentionReason: props.indefiniteRetentionReason,
  });
}

/** correctableAttributes: names, never a key or the subject attribute (a correction must not re-key or re-assign an item). */
export function checkCorrectable(v: PropsValidator, attributes: string[] | undefined, protectedNames: string[]): void {
  for (const a of attributes ?? []) {
    if (Token.isUnresolved(a)) continue;
    v.check(!/^[A-Za-z0-9_.-]{1,255}$/.test(a), 'CorrectableAttributeInvalid',
      `correctableAttributes contains "${a}", which is not an attribute name of 1 to 255 letters, digits, _, . or -: fix or remove it.`);
    v.check(protectedNames.includes(a), 'CorrectableAttributeIsKey',
      `correctableAttributes contains "${a}", a key or the subject attribute of the table: a correction never re-keys an item or moves it to another subject; remove it.`);
  }
}
