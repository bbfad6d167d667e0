import { UnscopedValidationError } from 'aws-cdk-lib';

/** Options for a data category that the built-in list does not have. */
export interface CustomDataCategoryOptions {
  /**
   * Whether the category is sensitive personal information (Cal. Civ. Code 1798.140(ae)).
   * A store holding it must be classified `SENSITIVE`.
   */
  readonly sensitive: boolean;

  /**
   * The CCPA/CPRA provision that makes it personal information, e.g. `Civ. Code 1798.140(v)(1)(D)`.
   */
  readonly ccpaReference: string;

  /**
   * What the category holds, for the privacy inventory.
   * @default - the key
   */
  readonly description?: string;
}

type ErrorCode = ConstructorParameters<typeof UnscopedValidationError>[0];

/**
 * A category of personal information (Cal. Civ. Code 1798.140(v)) or sensitive personal
 * information (1798.140(ae)), keyed after the fideslang `user.*` categories.
 * Design notes: [docs/constructs.md](docs/constructs.md#datacategory).
 */
export class DataCategory {
  // --- 1798.140(v)(1)(A) identifiers -------------------------------------------------------
  /** Real name or alias. Identifiers, 1798.140(v)(1)(A). */
  public static readonly NAME = new DataCategory('user.name', false, 'Civ. Code 1798.140(v)(1)(A)', 'Real name or alias');
  /** Postal address, email address, phone number. Identifiers, 1798.140(v)(1)(A). */
  public static readonly CONTACT = new DataCategory('user.contact', false, 'Civ. Code 1798.140(v)(1)(A)', 'Postal address, email address, telephone number');
  /** Unique personal or online identifier assigned by a system. Identifiers, 1798.140(v)(1)(A). */
  public static readonly UNIQUE_ID = new DataCategory('user.unique_id', false, 'Civ. Code 1798.140(v)(1)(A)', 'Unique personal identifier or online identifier');
  /** Account name and settings. Identifiers, 1798.140(v)(1)(A). */
  public static readonly ACCOUNT = new DataCategory('user.account', false, 'Civ. Code 1798.140(v)(1)(A)', 'Account name and account settings');
  /** IP address, device and cookie identifiers. Identifiers, 1798.140(v)(1)(A). */
  public static readonly DEVICE = new DataCategory('user.device', false, 'Civ. Code 1798.140(v)(1)(A)', 'IP address, device identifiers, cookie identifiers');

  // --- 1798.140(v)(1)(B) categories of 1798.80(e) --------------------------------------------
  /** Bank account and payment card numbers without access codes. 1798.140(v)(1)(B), 1798.80(e). */
  public static readonly FINANCIAL = new DataCategory('user.financial', false, 'Civ. Code 1798.140(v)(1)(B)', 'Bank account or payment card number, financial history');

  // --- 1798.140(v)(1)(C) protected classifications ------------------------------------------
  /** Age, gender, marital status and other protected classifications. 1798.140(v)(1)(C). */
  public static readonly DEMOGRAPHIC = new DataCategory('user.demographic', false, 'Civ. Code 1798.140(v)(1)(C)', 'Characteristics of protected classifications (age, gender, marital status)');

  // --- 1798.140(v)(1)(D) commercial information ---------------------------------------------
  /** Products purchased, obtained or considered. Commercial information, 1798.140(v)(1)(D). */
  public static readonly PURCHASE_HISTORY = new DataCategory('user.behavior.purchase_history', false, 'Civ. Code 1798.140(v)(1)(D)', 'Records of products or services purchased, obtained or considered');

  // --- 1798.140(v)(1)(E) biometric ----------------------------------------------------------
  /** Biometric information; sensitive when processed to identify (1798.140(ae)(2)(A)). */
  public static readonly BIOMETRIC = new DataCategory('user.biometrics', true, 'Civ. Code 1798.140(v)(1)(E), 1798.140(ae)(2)(A)', 'Biometric information');

  // --- 1798.140(v)(1)(F) internet activity --------------------------------------------------
  /** Browsing, search and interaction history. Network activity, 1798.140(v)(1)(F). */
  public static readonly BEHAVIOR = new DataCategory('user.behavior', false, 'Civ. Code 1798.140(v)(1)(F)', 'Browsing history, search history, interactions with a website or application');

  // --- 1798.140(v)(1)(G) geolocation --------------------------------------------------------
  /** Coarse location (more than a 1,850-foot radius). Geolocation, 1798.140(v)(1)(G). */
  public static readonly COARSE_LOCATION = new DataCategory('user.location.coarse', false, 'Civ. Code 1798.140(v)(1)(G)', 'Geolocation coarser than a 1,850-foot radius');
  /** Precise geolocation (within a 1,850-foot radius). Sensitive, 1798.140(ae)(1)(C), 1798.140(w). */
  public static readonly PRECISE_LOCATION = new DataCategory('user.location.precise', true, 'Civ. Code 1798.140(ae)(1)(C)', 'Precise geolocation (within a 1,850-foot radius)');

  // --- 1798.140(v)(1)(H) audio, electronic, visual ------------------------------------------
  /** Audio, electronic, visual, thermal or olfactory information (no fideslang key). 1798.140(v)(1)(H). */
  public static readonly AUDIO_VISUAL = new DataCategory('user.audio_visual', false, 'Civ. Code 1798.140(v)(1)(H)', 'Audio, electronic, visual, thermal, olfactory or similar information');

  // --- 1798.140(v)(1)(I) professional ------------------------------------------------------
  /** Professional or employment-related information. 1798.140(v)(1)(I). */
  public static readonly EMPLOYMENT = new DataCategory('user.employment', false, 'Civ. Code 1798.140(v)(1)(I)', 'Professional or employment-related information');

  // --- 1798.140(v)(1)(J) education -----------------------------------------------------------
  /** Non-public education information (no fideslang key). 1798.140(v)(1)(J). */
  public static readonly EDUCATION = new DataCategory('user.education', false, 'Civ. Code 1798.140(v)(1)(J)', 'Non-public education information (20 U.S.C. 1232g)');

  // --- 1798.140(v)(1)(K) inferences ----------------------------------------------------------
  /** Inferences drawn to build a profile of preferences or characteristics. 1798.140(v)(1)(K). */
  public static readonly PROFILE = new DataCategory('user.demographic.profile', false, 'Civ. Code 1798.140(v)(1)(K)', 'Inferences drawn to create a profile of preferences, characteristics or behavior');

  // --- records a privacy program itself keeps -------------------------------------------------
  /** Opt-out, limit and consent choices (kept to honour 1798.120, 1798.121, 1798.135). */
  public static readonly PRIVACY_PREFERENCES = new DataCategory('user.privacy_preferences', false, 'Civ. Code 1798.140(v)(1)(A), 1798.135', 'Opt-out of sale/sharing, limit-use and consent choices');
  /**
   * Data about consumers the business knows are under 16, treated as sensitive.
   *
   * Sensitive under the 2026 definitions (11 CCR 7001); selling or sharing it needs opt-in (1798.120(c)).
   */
  public static readonly CHILDREN = new DataCategory('user.children', true, 'Civ. Code 1798.120(c); 11 CCR 7001', 'Personal information of consumers known to be under 16');

  // --- 1798.140(ae) sensitive personal information ----------------------------------------
  /** Social security, driver's license, state ID or passport number. Sensitive, 1798.140(ae)(1)(A). */
  public static readonly GOVERNMENT_ID = new DataCategory('user.government_id', true, 'Civ. Code 1798.140(ae)(1)(A)', "Social security, driver's license, state identification card or passport number");
  /** Account log-in or card number with its password or security code. Sensitive, 1798.140(ae)(1)(B). */
  public static readonly ACCOUNT_CREDENTIALS = new DataCategory('user.authorization.credentials', true, 'Civ. Code 1798.140(ae)(1)(B)', 'Account log-in, financial account or card number with the code or password that gives access');
  /** Payment card data (PAN with security code). Sensitive, 1798.140(ae)(1)(B). */
  public static readonly PAYMENT_CARD = new DataCategory('user.financial.credit_card', true, 'Civ. Code 1798.140(ae)(1)(B)', 'Debit or credit card number with its security code');
  /** Racial or ethnic origin. Sensitive, 1798.140(ae)(1)(D). */
  public static readonly RACE_ETHNICITY = new DataCategory('user.demographic.race_ethnicity', true, 'Civ. Code 1798.140(ae)(1)(D)', 'Racial or ethnic origin');
  /** Citizenship or immigration status. Sensitive, 1798.140(ae)(1)(D) (AB 947, 2024). */
  public static readonly CITIZENSHIP_IMMIGRATION = new DataCategory('user.demographic.citizenship_or_immigration_status', true, 'Civ. Code 1798.140(ae)(1)(D)', 'Citizenship or immigration status');
  /** Religious beliefs. Sensitive, 1798.140(ae)(1)(D). */
  public static readonly RELIGIOUS_BELIEF = new DataCategory('user.demographic.religious_belief', true, 'Civ. Code 1798.140(ae)(1)(D)', 'Religious beliefs');
  /** Philosophical beliefs. Sensitive, 1798.140(ae)(1)(D). */
  public static readonly PHILOSOPHICAL_BELIEF = new DataCategory('user.demographic.philosophical_belief', true, 'Civ. Code 1798.140(ae)(1)(D)', 'Philosophical beliefs');
  /** Union membership. Sensitive, 1798.140(ae)(1)(D). */
  public static readonly UNION_MEMBERSHIP = new DataCategory('user.demographic.union_membership', true, 'Civ. Code 1798.140(ae)(1)(D)', 'Union membership');
  /** Contents of mail, email and text messages not addressed to the business. Sensitive, 1798.140(ae)(1)(E). */
  public static readonly PRIVATE_COMMUNICATIONS = new DataCategory('user.content.private', true, 'Civ. Code 1798.140(ae)(1)(E)', 'Contents of mail, email and text messages of which the business is not the intended recipient');
  /** Genetic data. Sensitive, 1798.140(ae)(1)(F). */
  public static readonly GENETIC = new DataCategory('user.health.genetic', true, 'Civ. Code 1798.140(ae)(1)(F)', 'Genetic data');
  /** Neural data (no fideslang key). Sensitive, 1798.140(ae)(1)(G) (SB 1223, 2025). */
  public static readonly NEURAL = new DataCategory('user.neural', true, 'Civ. Code 1798.140(ae)(1)(G)', 'Neural data: measured activity of the central or peripheral nervous system');
  /** Health information. Sensitive, 1798.140(ae)(2)(B). */
  public static readonly HEALTH = new DataCategory('user.health', true, 'Civ. Code 1798.140(ae)(2)(B)', 'Personal information collected and analyzed concerning health');
  /** Sex life or sexual orientation. Sensitive, 1798.140(ae)(2)(C). */
  public static readonly SEXUAL_ORIENTATION = new DataCategory('user.demographic.sexual_orientation', true, 'Civ. Code 1798.140(ae)(2)(C)', "Personal information concerning a consumer's sex life or sexual orientation");

  /**
   * A category the built-in list does not have.
   *
   * @param key a fideslang-style key: lower-case dot-separated segments of letters, digits and `_`
   *   (e.g. `user.contact.address.postal_code`); it becomes part of the `privacy:categories` tag.
   */
  public static custom(key: string, options: CustomDataCategoryOptions): DataCategory {
    const problems: string[] = [];
    if (!/^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(key)) {
      problems.push(`DataCategory.custom: key ${JSON.stringify(key)} is not a fideslang-style key (lower-case dot-separated segments of a-z, 0-9 and _, e.g. "user.contact.email"); it must also fit the AWS tag character set, which has no comma`);
    }
    if (options.ccpaReference.trim().length === 0) {
      problems.push(`DataCategory.custom: ccpaReference for ${JSON.stringify(key)} is empty; name the provision that makes it personal information (e.g. "Civ. Code 1798.140(v)(1)(D)")`);
    }
    if (problems.length > 0) {
      throw new UnscopedValidationError('InvalidDataCategory' as ErrorCode, problems.join('\n'));
    }
    return new DataCategory(key, options.sensitive, options.ccpaReference, options.description ?? key);
  }

  /** Every built-in category, in CCPA order. */
  public static all(): DataCategory[] {
    return [
      DataCategory.NAME, DataCategory.CONTACT, DataCategory.UNIQUE_ID, DataCategory.ACCOUNT, DataCategory.DEVICE,
      DataCategory.FINANCIAL, DataCategory.DEMOGRAPHIC, DataCategory.PURCHASE_HISTORY, DataCategory.BIOMETRIC,
      DataCategory.BEHAVIOR, DataCategory.COARSE_LOCATION, DataCategory.PRECISE_LOCATION, DataCategory.AUDIO_VISUAL,
      DataCategory.EMPLOYMENT, DataCategory.EDUCATION, DataCategory.PROFILE, DataCategory.PRIVACY_PREFERENCES,
      DataCategory.CHILDREN, DataCategory.GOVERNMENT_ID, DataCategory.ACCOUNT_CREDENTIALS, DataCategory.PAYMENT_CARD,
      DataCategory.RACE_ETHNICITY, DataCategory.CITIZENSHIP_IMMIGRATION, DataCategory.RELIGIOUS_BELIEF,
      DataCategory.PHILOSOPHICAL_BELIEF, DataCategory.UNION_MEMBERSHIP, DataCategory.PRIVATE_COMMUNICATIONS,
      DataCategory.GENETIC, DataCategory.NEURAL, DataCategory.HEALTH, DataCategory.SEXUAL_ORIENTATION,
    ];
  }

  /**
   * The category with this key: a built-in one, or, for a key that is not built in, a custom
   * category treated as sensitive (fail closed) until it is declared with `custom`.
   */
  public static fromKey(key: string): DataCategory {
    return DataCategory.all().find((c) => c.key === key)
      ?? DataCategory.custom(key, { sensitive: true, ccpaReference: 'unknown: read back from a tag', description: key });
  }

  /** The fideslang-style key, e.g. `user.contact`. */
  public readonly key: string;
  /** Whether it is sensitive personal information (Cal. Civ. Code 1798.140(ae)). */
  public readonly sensitive: boolean;
  /** The CCPA/CPRA provision that makes it personal information. */
  public readonly ccpaReference: string;
  /** What the category holds. */
  public readonly description: string;

  private constructor(key: string, sensitive: boolean, ccpaReference: string, description: string) {
    this.key = key;
    this.sensitive = sensitive;
    this.ccpaReference = ccpaReference;
    this.description = description;
  }

  /** The key. */
  public toString(): string {
    return this.key;
  }
}
