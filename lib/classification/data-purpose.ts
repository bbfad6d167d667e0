import { UnscopedValidationError } from 'aws-cdk-lib';

type ErrorCode = ConstructorParameters<typeof UnscopedValidationError>[0];

/** Options for a purpose that the built-in list does not have. */
export interface CustomDataPurposeOptions {
  /**
   * What the business uses the data for, in words a privacy notice can print.
   *
   * @default the key
   */
  readonly description?: string;
}

/**
 * Why a store holds personal information: a purpose of collection or use that a privacy
 * notice discloses per category. Keys follow the fideslang data-use taxonomy
 * (`essential.service`, `marketing.advertising`, …); `custom` adds one the list lacks.
 */
export class DataPurpose {
  /** Providing the product or service the consumer asked for. */
  public static readonly PROVIDE_SERVICE = new DataPurpose('essential.service', 'Providing the product or service the consumer requested');
  /** Signing in and verifying who the consumer is. */
  public static readonly AUTHENTICATION = new DataPurpose('essential.service.authentication', 'Authenticating the consumer and verifying requests');
  /** Running, debugging and maintaining the service. */
  public static readonly OPERATIONS = new DataPurpose('essential.service.operations', 'Operating, debugging and maintaining the service');
  /** Detecting security incidents and protecting against fraud. */
  public static readonly SECURITY = new DataPurpose('essential.service.security', 'Detecting security incidents and protecting against malicious, deceptive or fraudulent activity');
  /** Processing payments. */
  public static readonly PAYMENT_PROCESSING = new DataPurpose('essential.service.payment_processing', 'Processing payments');
  /** Complying with a legal obligation (tax, accounting, consumer-request records). */
  public static readonly LEGAL_OBLIGATION = new DataPurpose('essential.legal_obligation', 'Complying with a legal obligation');
  /** Measuring and reporting on use of the service. */
  public static readonly ANALYTICS = new DataPurpose('analytics.reporting', 'Measuring and reporting on use of the service');
  /** Improving the service. */
  public static readonly IMPROVE_SERVICE = new DataPurpose('functional.service.improve', 'Improving the service');
  /** Personalizing the service for the consumer. */
  public static readonly PERSONALIZATION = new DataPurpose('personalize', 'Personalizing content and features');
  /** Marketing the business's own products to the consumer. */
  public static readonly MARKETING = new DataPurpose('marketing', 'Marketing the business\'s own products and services');
  /** Advertising, including cross-context behavioral advertising (sharing). */
  public static readonly ADVERTISING = new DataPurpose('marketing.advertising', 'Advertising, including cross-context behavioral advertising');
  /** Disclosing to third parties. */
  public static readonly THIRD_PARTY_SHARING = new DataPurpose('third_party_sharing', 'Disclosing personal information to third parties');
  /** Training machine-learning models. */
  public static readonly TRAINING = new DataPurpose('train', 'Training machine-learning models');
  /** Managing employees and applicants. */
  public static readonly EMPLOYMENT = new DataPurpose('employment', 'Managing employees, contractors and applicants');

  /**
   * A purpose the built-in list does not have.
   *
   * @param key a fideslang-style data-use key: lower-case dot-separated segments of letters, digits
   *   and `_` (e.g. `essential.service.notifications`).
   */
  public static custom(key: string, options: CustomDataPurposeOptions = {}): DataPurpose {
    if (!/^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(key)) {
      throw new UnscopedValidationError('InvalidDataPurpose' as ErrorCode,
        `DataPurpose.custom: key ${JSON.stringify(key)} is not a fideslang-style data-use key; use lower-case dot-separated segments of a-z, 0-9 and _ (e.g. "essential.service.notifications"), which also fit the AWS tag character set`);
    }
    return new DataPurpose(key, options.description ?? key);
  }

  /** Every built-in purpose. */
  public static all(): DataPurpose[] {
    return [
      DataPurpose.PROVIDE_SERVICE, DataPurpose.AUTHENTICATION, DataPurpose.OPERATIONS, DataPurpose.SECURITY,
      DataPurpose.PAYMENT_PROCESSING, DataPurpose.LEGAL_OBLIGATION, DataPurpose.ANALYTICS, DataPurpose.IMPROVE_SERVICE,
      DataPurpose.PERSONALIZATION, DataPurpose.MARKETING, DataPurpose.ADVERTISING, DataPurpose.THIRD_PARTY_SHARING,
      DataPurpose.TRAINING, DataPurpose.EMPLOYMENT,
    ];
  }

  /** The purpose with this key: the built-in one, or a custom one whose description is the key. */
  public static fromKey(key: string): DataPurpose {
    return DataPurpose.all().find((p) => p.key === key) ?? DataPurpose.custom(key);
  }

  /** The fideslang-style data-use key, e.g. `essential.service`. */
  public readonly key: string;
  /** What the business uses the data for. */
  public readonly description: string;

  private constructor(key: string, description: string) {
    this.key = key;
    this.description = description;
  }

  /** The key. */
  public toString(): string {
    return this.key;
  }
}
