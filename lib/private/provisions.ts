/**
 * The one table of provisions cdk-ccpa cites (Cal. Civ. Code unless it says 11 CCR, the CCPA
 * regulations as in force from 2026-01-01). A rule names entries of this table by id
 * (`cites`); RULES.md and every finding render the text from here. Validation messages and docs
 * elsewhere in lib/ cite through `cite(id)` or with the exact label; a test fails when anything in
 * lib/ cites a provision that is not in this table, so a wrong citation is fixed here, once.
 */
export const PROVISIONS = {
  'civ-1798.100(e)': 'Cal. Civ. Code 1798.100(e): a business that collects personal information implements reasonable security procedures and practices appropriate to its nature',
  'civ-1798.80(e)': 'Cal. Civ. Code 1798.80(e): the personal information of the customer-records law (name, signature, address, insurance, education, employment, financial, medical and health insurance information)',
  'civ-1798.81.5(b)': 'Cal. Civ. Code 1798.81.5(b): reasonable security procedures and practices that protect personal information from unauthorized access, destruction, use, modification or disclosure',
  'civ-1798.82': 'Cal. Civ. Code 1798.82: notify California residents whose unencrypted personal information was, or is reasonably believed to have been, acquired by an unauthorized person',
  'civ-1798.100': 'Cal. Civ. Code 1798.100: the consumer\'s rights and the business\'s general duties (1798.100 to 1798.121 set the rights a data subject request exercises)',
  'civ-1798.100(a)(1)': 'Cal. Civ. Code 1798.100(a)(1): disclose the categories of personal information collected and the purposes for which each is collected or used',
  'civ-1798.100(a)(3)': 'Cal. Civ. Code 1798.100(a)(3): disclose how long each category of personal information is kept, and keep it no longer than reasonably necessary for the disclosed purpose',
  'civ-1798.100(c)': 'Cal. Civ. Code 1798.100(c): the collection, use, retention, and sharing of personal information is reasonably necessary and proportionate to the disclosed purposes',
  'civ-1798.105': 'Cal. Civ. Code 1798.105: the consumer\'s right to have personal information collected from them deleted',
  'civ-1798.105(c)': 'Cal. Civ. Code 1798.105(c): on a verifiable deletion request, delete the personal information from the business\'s records and notify service providers, contractors and third parties to whom it was sold or shared to delete it',
  'civ-1798.105(d)': 'Cal. Civ. Code 1798.105(d): the exceptions under which a business need not delete personal information (among them, to comply with a legal obligation)',
  'civ-1798.105(d)(2)': 'Cal. Civ. Code 1798.105(d)(2): a business need not delete personal information it needs to help ensure security and integrity',
  'civ-1798.110': 'Cal. Civ. Code 1798.110: the consumer\'s right to know what personal information the business collected about them',
  'civ-1798.110(a)': 'Cal. Civ. Code 1798.110(a): a consumer may request the categories of personal information collected, their sources, the purposes, the categories of third parties it is disclosed to, and the specific pieces collected',
  'civ-1798.110(a)(2)': 'Cal. Civ. Code 1798.110(a)(2): the categories of sources from which the personal information is collected',
  'civ-1798.110(a)(3)': 'Cal. Civ. Code 1798.110(a)(3): the business or commercial purpose for collecting, selling or sharing personal information',
  'civ-1798.110(a)(4)': 'Cal. Civ. Code 1798.110(a)(4): the categories of third parties to whom the business discloses personal information',
  'civ-1798.120': 'Cal. Civ. Code 1798.120: the consumer\'s right to opt out of the sale or sharing of their personal information',
  'civ-1798.120(c)': 'Cal. Civ. Code 1798.120(c): no sale or sharing of the personal information of consumers the business knows are under 16 without affirmative authorization (opt-in)',
  'civ-1798.121': 'Cal. Civ. Code 1798.121: the consumer\'s right to limit the use and disclosure of their sensitive personal information',
  'civ-1798.130(a)(2)': 'Cal. Civ. Code 1798.130(a)(2): the time to respond to a request; (A) sets 45 calendar days and one extension of 45 more. Its (B), the 12-month look-back of a disclosure, is no basis for keeping records',
  'civ-1798.135': 'Cal. Civ. Code 1798.135: the methods of opting out of sale or sharing and of limiting the use of sensitive personal information, opt-out preference signals included',
  'civ-1798.140': 'Cal. Civ. Code 1798.140: definitions; (v) personal information and its categories, (ae) sensitive personal information. The data category catalogue cites their subparagraphs',
  'civ-1798.150(a)(1)': 'Cal. Civ. Code 1798.150(a)(1): the exposure, not the duty: consumers may sue for statutory damages when nonencrypted and nonredacted personal information is breached for want of reasonable security',
  'civ-1798.105(c)(1)': 'Cal. Civ. Code 1798.105(c)(1): delete the consumer\'s personal information from the business\'s records on a verifiable request, and have service providers and contractors delete it',
  'civ-1798.130(a)(2)(A)': 'Cal. Civ. Code 1798.130(a)(2)(A): respond to a request to know, delete or correct within 45 calendar days (one extension of 45 more, with notice)',
  'ccr-7001': '11 CCR § 7001: the definitions of the regulations; from 2026 personal information of consumers the business knows are under 16 is treated as sensitive',
  'ccr-7026': '11 CCR § 7026: requests to opt out of sale or sharing: no verification may be required; honor them within 15 business days, with no extension',
  'ccr-7027': '11 CCR § 7027: requests to limit the use of sensitive personal information: no verification may be required; honor them within 15 business days, with no extension',
  'civ-1798.100(d)': 'Cal. Civ. Code 1798.100(d): a business that sells or shares personal information with a third party, or discloses it to a service provider or contractor, does so under a contract that limits its use to the specified purposes',
  'civ-1798.105(c)(3)': 'Cal. Civ. Code 1798.105(c)(3): on a verifiable deletion request, notify the third parties to whom the business sold or shared the personal information to delete it, unless that proves impossible or involves disproportionate effort',
  'ccr-7002(d)': '11 CCR § 7002(d): whether the collection, use, retention and sharing of personal information is reasonably necessary and proportionate to its purpose turns first on the minimum personal information that purpose needs',
  'ccr-7123(c)(15)': '11 CCR § 7123(c)(15): the cybersecurity program the audit assesses includes the oversight of service providers, contractors and third parties',
  'ccr-7025': '11 CCR § 7025: an opt-out preference signal (Global Privacy Control) is a valid request to opt out of sale or sharing, for the browser or device and any consumer known to the business',
  'ccr-7025(c)': '11 CCR § 7025(c): the business displays whether it processed the consumer\'s opt-out preference signal, e.g. "Opt-Out Request Honored"',
  'ccr-7021': '11 CCR § 7021: confirm receipt of a request to know, delete or correct within 10 business days, and respond within 45 calendar days',
  'ccr-7021(a)': '11 CCR § 7021(a): confirm receipt of a request to know, delete or correct within 10 business days, saying how the business will process it and when',
  'ccr-7021(b)': '11 CCR § 7021(b): respond to a request to know, delete or correct within 45 calendar days; one extension of 45 more, noticed to the consumer within the first 45',
  'ccr-7022(b)': '11 CCR § 7022(b): on a deletion request, delete the personal information and notify service providers, contractors and third parties to delete it',
  'ccr-7023(c)': '11 CCR § 7023(c): on a request to correct, correct the personal information on the business\'s existing systems and instruct the service providers and contractors that maintain it to correct it in theirs',
  'ccr-7026(f)': '11 CCR § 7026(f): honor an opt-out of sale or sharing within 15 business days, and notify the third parties to whom the personal information was sold or shared in the meantime to comply with it',
  'ccr-7022(d)': '11 CCR § 7022(d): personal information in an archived or backup system may be deleted when the archive is restored or next used; it neither requires backups nor caps their retention',
  'ccr-7060': '11 CCR §§ 7060-7062: verify the identity of the consumer who makes a request to know, delete or correct, to the degree of certainty the request calls for',
  'ccr-7062': '11 CCR §§ 7060-7062: verifying requests to know, delete or correct, cited as a range (7062 closes it)',
  'ccr-7101': '11 CCR § 7101: keep records of consumer requests and how the business responded for at least 24 months',
  'ccr-7120': '11 CCR § 7120: a business whose processing presents significant risk (the § 7120(b) thresholds) completes an annual independent cybersecurity audit',
  'ccr-7122': '11 CCR § 7122: keep cybersecurity audit reports and the documents they rely on for 5 years',
  'ccr-7123(c)': '11 CCR § 7123(c): the 18 components of the cybersecurity program the audit assesses',
  'ccr-7124': '11 CCR §§ 7120-7124: the cybersecurity-audit article, cited as a range (7124 closes it)',
  'ccr-7123(c)(1)': '11 CCR § 7123(c)(1): the cybersecurity program the audit assesses includes authentication of every access to personal information',
  'ccr-7123(c)(2)': '11 CCR § 7123(c)(2): the cybersecurity program the audit assesses includes encryption of personal information at rest and in transit',
  'ccr-7123(c)(3)': '11 CCR § 7123(c)(3): the cybersecurity program the audit assesses includes account management and least-privilege access to personal information',
  'ccr-7123(c)(4)': '11 CCR § 7123(c)(4): the cybersecurity program the audit assesses includes an inventory and classification of personal information',
  'ccr-7123(c)(6)': '11 CCR § 7123(c)(6): the cybersecurity program the audit assesses includes vulnerability scanning and penetration tests',
  'ccr-7123(c)(7)': '11 CCR § 7123(c)(7): the cybersecurity program the audit assesses includes audit-log management: centralized storage, retention and monitoring of logs (no period is set)',
  'ccr-7123(c)(8)': '11 CCR § 7123(c)(8): the cybersecurity program the audit assesses includes network monitoring, intrusion detection and data-loss prevention',
  'ccr-7123(c)(10)': '11 CCR § 7123(c)(10)-(11): the cybersecurity program the audit assesses includes network segmentation and limiting ports, services and protocols',
  'ccr-7123(c)(16)': '11 CCR § 7123(c)(16): the cybersecurity program the audit assesses includes retention schedules and the disposal of personal information',
  'ccr-7123(c)(18)': '11 CCR § 7123(c)(18): the cybersecurity program the audit assesses includes backups and recovery of personal information',
  'ccr-7150(b)': '11 CCR § 7150(b): conduct a risk assessment before processing sensitive personal information, selling or sharing it, or using automated decision-making technology for a significant decision',
  'ccr-7150': '11 CCR § 7150: when a risk assessment is due (selling or sharing, sensitive personal information, automated decision-making for a significant decision)',
  'ccr-7157': '11 CCR §§ 7150-7157: the risk-assessment article, cited as a range (7157 closes it)',
  'ccr-7152(a)': '11 CCR § 7152(a): the risk assessment records the purposes, the categories of personal information, their retention, the recipients and the safeguards',
} as const;

/** The id of one provision of `PROVISIONS`. */
export type ProvisionId = keyof typeof PROVISIONS;

/** The text of the provisions a rule cites, joined (`; `). Throws on an id that is not in the table. */
export function citationText(ids: readonly string[]): string {
  return ids.map((id) => {
    const text = (PROVISIONS as Record<string, string>)[id];
    if (text === undefined) throw new Error(`CcpaChecks: citation ${JSON.stringify(id)} is not in the table of provisions`);
    return text;
  }).join('; ');
}

/** The short label of one provision, as a message cites it (`Cal. Civ. Code 1798.81.5(b)`, `11 CCR § 7123(c)(7)`). */
export function cite(id: ProvisionId): string {
  const text: string = PROVISIONS[id];
  return text.slice(0, text.indexOf(': '));
}
