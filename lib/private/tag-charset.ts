/**
 * AWS tag constraints (Tagging API and IAM `TagRole`): keys up to 128 and values up to 256
 * Unicode characters; letters, digits, white space and `_ . : / = + - @` only; keys must not
 * start with `aws:`. A comma is outside the set, which is why list values here use spaces.
 */
const TAG_CHARSET = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const MAX_TAG_KEY_LENGTH = 128;
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

/** Why a tag key is invalid, or undefined when it is valid. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) {
    return 'is empty';
  }
  if (key.toLowerCase().startsWith('aws:')) {
    return 'starts with the reserved prefix "aws:"';
  }
  if ([...key].length > MAX_TAG_KEY_LENGTH) {
    return `is ${[...key].length} characters long; AWS tag keys hold at most ${MAX_TAG_KEY_LENGTH}`;
  }
  return TAG_CHARSET.test(key) ? undefined : tagValueProblem(key);
}
