/**
 * AWS tag constraints (Tagging API and IAM `TagRole`): values up to 256 Unicode characters of
 * letters, digits, white space and `_ . : / = + - @`. A comma is outside the set, which is why
 * list values here are separated by spaces.
 */
const TAG_CHARSET = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const MAX_TAG_VALUE_LENGTH = 256;

/** Why a tag value is invalid, or undefined when it is valid. */
export function tagValueProblem(value: string): string | undefined {
  if (!TAG_CHARSET.test(value)) {
    const bad = [...value].filter((c) => !TAG_CHARSET.test(c));
    return `contains ${[...new Set(bad)].map((c) => JSON.stringify(c)).join(', ')}, outside the AWS tag character set (letters, digits, spaces and _ . : / = + - @)`;
  }
  if ([...value].length > MAX_TAG_VALUE_LENGTH) {
    return `is ${[...value].length} characters long; AWS tag values hold at most ${MAX_TAG_VALUE_LENGTH}`;
  }
  return undefined;
}

