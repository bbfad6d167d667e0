import { ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** aws-cdk-lib brands error codes as literal strings; every code used here is a literal. */
type ErrorCode = ConstructorParameters<typeof ValidationError>[0];

interface Problem {
  readonly code: string;
  readonly message: string;
}

/**
 * Collects every prop problem of one construct and throws them together, so a user fixes
 * all of them in one round (the aws-solutions-constructs convention).
 *
 * The error is aws-cdk-lib's own `ValidationError`, so `Errors.isValidationError(e)` is true
 * and the CDK CLI shows the construct path with it. Every problem has its own error code, shown
 * as `[code] message`: a single problem is thrown under its code (the error's `name`); several are
 * thrown under the validator's code, one numbered line each, `(1) [code] message`.
 */
export class PropsValidator {
  private readonly problems: Problem[] = [];

  constructor(private readonly scope: IConstruct, private readonly code: string) {}

  /**
   * Record a problem under its own error code when `failed` is true. Every problem has a code
   * (an UpperCamelCase name such as `RetentionTooShort`) and one sentence that names the prop,
   * the value and the fix.
   */
  public check(failed: boolean, code: string, message: string): this {
    if (failed) {
      this.problems.push({ code, message });
    }
    return this;
  }

  /** Record a problem unconditionally (with a `code`, as in `check`). */
  public fail(code: string, message: string): this {
    return this.check(true, code, message);
  }

  /** Throw one ValidationError listing every recorded problem, if there is any. */
  public throwIfInvalid(): void {
    if (this.problems.length === 0) {
      return;
    }
    if (this.problems.length === 1) {
      const [only] = this.problems;
      throw new ValidationError(only.code as ErrorCode, `[${only.code}] ${only.message}`, this.scope);
    }
    const list = this.problems.map((p, i) => `(${i + 1}) [${p.code}] ${p.message}`).join('\n');
    throw new ValidationError(this.code as ErrorCode, list, this.scope);
  }
}

