import { ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** aws-cdk-lib brands error codes as literal strings; every code used here is a literal. */
type ErrorCode = ConstructorParameters<typeof ValidationError>[0];

/**
 * Collects every prop problem of one construct and throws them together, so a user fixes
 * all of them in one round (the aws-solutions-constructs convention).
 *
 * The error is aws-cdk-lib's own `ValidationError`, so `Errors.isValidationError(e)` is true
 * and the CDK CLI shows the construct path with it.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly code: string) {}

  /**
   * Record a problem when `failed` is true. With a `code` (e.g. `ObjectLockRefused`), the problem
   * reads `[code] message`: one sentence naming the prop, its value and the fix.
   */
  public check(failed: boolean, message: string): this;
  public check(failed: boolean, code: string, message: string): this;
  public check(failed: boolean, codeOrMessage: string, message?: string): this {
    if (failed) {
      this.problems.push(message === undefined ? codeOrMessage : `[${codeOrMessage}] ${message}`);
    }
    return this;
  }

  /** Record a problem unconditionally (with a `code`, as in `check`). */
  public fail(message: string): this;
  public fail(code: string, message: string): this;
  public fail(codeOrMessage: string, message?: string): this {
    return this.check(true, codeOrMessage, message as string);
  }

  /** Throw one ValidationError listing every recorded problem, if there is any. */
  public throwIfInvalid(): void {
    if (this.problems.length === 0) {
      return;
    }
    const list = this.problems.length === 1
      ? this.problems[0]
      : this.problems.map((p, i) => `(${i + 1}) ${p}`).join('\n');
    throw new ValidationError(this.code as ErrorCode, list, this.scope);
  }
}

