import { Stack } from 'aws-cdk-lib';

/** `kms:ViaService` value of a service in the stack's region, e.g. `s3.us-east-1.amazonaws.com`. */
export function viaServiceName(scope: Stack, service: string): string {
  return `${service}.${scope.region}.${scope.urlSuffix}`;
}
