import { Errors } from 'aws-cdk-lib';

/**
 * The message of the aws-cdk-lib ValidationError that `f` throws; fails the test when `f` throws
 * nothing or another kind of error (refused props must be CDK ValidationErrors, DESIGN.md section 5).
 */
export function validationErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(Errors.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}
