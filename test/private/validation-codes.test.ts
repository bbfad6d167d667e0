import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataCategory } from '../../lib/classification/data-category';
import { PrivacyClassification } from '../../lib/classification/privacy-classification';
import { PrivacyPrincipal } from '../../lib/classification/privacy-principal';
import { DataClassification } from '../../lib/classification/privacy-tag-keys';
import { PrivacyKey } from '../../lib/encryption/privacy-key';
import { PseudonymizationKey } from '../../lib/encryption/pseudonymization-key';

/** Each validation error path of the keys and the tag model throws under its own code, `[code] message`. */
function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
}

function codesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    return [...(e as Error).message.matchAll(/^(?:\(\d+\) )?\[(\w+)\] /gm)].map((m) => m[1]);
  }
  return [];
}

describe('validation error codes', () => {
  test.each<[string, string, () => unknown]>([
    ['PrivacyKey alias empty', 'AliasEmpty', () => new PrivacyKey(stack(), 'K', { alias: ' ' })],
    ['PrivacyKey alias invalid', 'AliasInvalid', () => new PrivacyKey(stack(), 'K', { alias: 'a b' })],
    ['PrivacyKey alias reserved', 'AliasReserved', () => new PrivacyKey(stack(), 'K', { alias: 'aws/x' })],
    ['PrivacyKey alias too long', 'AliasTooLong', () => new PrivacyKey(stack(), 'K', { alias: 'a'.repeat(260) })],
    ['PrivacyKey pending window short', 'PendingWindowTooShort', () => new PrivacyKey(stack(), 'K', { pendingWindow: Duration.days(7) })],
    ['PrivacyKey pending window long', 'PendingWindowTooLong', () => new PrivacyKey(stack(), 'K', { pendingWindow: Duration.days(31) })],
    ['PrivacyKey non-personal', 'NonPersonalKey', () => new PrivacyKey(stack(), 'K', { classification: DataClassification.NON_PERSONAL })],
    ['PrivacyKey no via service', 'ViaServicesEmpty', () => new PrivacyKey(stack(), 'K', { viaServices: [] })],
    ['PrivacyKey bad via service', 'ViaServiceInvalid', () => new PrivacyKey(stack(), 'K', { viaServices: ['S3!'] })],
    ['PrivacyKey state machine ARN', 'StateMachineArnInvalid', () => new PrivacyKey(stack(), 'K').allowStepFunctions('nope')],
    ['PrivacyKey trail ARN', 'TrailArnInvalid', () => new PrivacyKey(stack(), 'K').allowCloudTrail('nope')],
    ['PseudonymizationKey alias reserved', 'AliasReserved', () => new PseudonymizationKey(stack(), 'P', { alias: 'aws/x' })],
    ['PseudonymizationKey pending window', 'PendingWindowTooShort', () => new PseudonymizationKey(stack(), 'P', { pendingWindow: Duration.days(7) })],
    ['classification owner', 'OwnerInvalid', () => PrivacyClassification.apply(stack(), { owner: 'a\u0000b' })],
    ['classification personal with sensitive', 'SensitiveCategoriesNotSensitive', () => PrivacyClassification.apply(stack(), {
      classification: DataClassification.PERSONAL, categories: [DataCategory.custom('custom.health', { sensitive: true, ccpaReference: '1798.140(ae)(2)(B)' })],
    })],
    ['classification non-personal with categories', 'NonPersonalWithCategories', () => PrivacyClassification.apply(stack(), {
      classification: DataClassification.NON_PERSONAL, categories: [DataCategory.custom('custom.x', { sensitive: false, ccpaReference: '1798.140(v)(1)(A)' })],
    })],
    ['principal two workflows', 'TwoWorkflows', () => {
      const s = stack();
      PrivacyPrincipal.tag(new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }), { dsrWorkflow: true, backupWorkflow: true });
    }],
  ])('%s throws [%s]', (_name, code, fn) => {
    expect(codesOf(fn)).toContain(code);
  });
});
