import { DataClassification } from '../../classification/privacy-tag-keys';
import { PrivacyKey } from '../../encryption/privacy-key';
import { PropsValidator } from '../../private/validation';

/** Refuse `NON_PERSONAL` on a personal data store. */
export function classificationOf(v: PropsValidator, classification: DataClassification, alternative: string): void {
  v.check(classification === DataClassification.NON_PERSONAL,
    `classification "non-personal": this construct stores personal information (Cal. Civ. Code 1798.140(v)); for data that holds none use ${alternative} and tag it with PrivacyClassification.apply(..., { classification: NON_PERSONAL })`);
}

/** Refuse a key whose classification is below the store's (its policy would let `personal` readers decrypt sensitive data). */
export function checkKey(v: PropsValidator, key: PrivacyKey | undefined, classification: DataClassification): void {
  if (key === undefined) {
    return;
  }
  v.check(classification === DataClassification.SENSITIVE && key.classification !== DataClassification.SENSITIVE,
    `encryptionKey ${key.node.path} is classified "${key.classification}" but the store is "sensitive": its key policy lets principals tagged privacy:access=personal decrypt, so sensitive personal information (Cal. Civ. Code 1798.140(ae)) would be readable at the lower level; use a PrivacyKey with classification SENSITIVE`);
}
