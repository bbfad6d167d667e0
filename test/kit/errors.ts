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

/**
 * The error codes of the aws-cdk-lib ValidationError that `f` throws, and its message: a single
 * problem is thrown under its own code (the error's name); several under the validator's code, one
 * `(n) [code] message` line each (PropsValidator).
 */
export function validationProblemsOf(f: () => unknown): { codes: string[]; message: string } {
  try {
    f();
  } catch (e) {
    expect(Errors.isValidationError(e)).toBe(true);
    const { name, message } = e as Error;
    const lines = [...message.matchAll(/^\(\d+\) \[([A-Za-z]+)\] /gm)].map((m) => m[1]);
    return { codes: lines.length > 0 ? lines : [name], message };
  }
  throw new Error('expected a ValidationError');
}
