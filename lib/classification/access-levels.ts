import { DataClassification, PrivacyAccessLevel } from './privacy-tag-keys';

/** The `privacy:access` tag values that allow reading data of a given classification. */
export function accessLevelsFor(classification: DataClassification): string[] {
  return classification === DataClassification.SENSITIVE
    ? [PrivacyAccessLevel.SENSITIVE]
    : [PrivacyAccessLevel.PERSONAL, PrivacyAccessLevel.SENSITIVE];
}

