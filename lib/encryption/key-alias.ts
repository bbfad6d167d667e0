import { Names, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The alias a privacy key creates: the one given (with `alias/` prepended if missing) or one
 * derived from the key's construct path. A literal, unlike `kms.Alias.aliasName`, so that a
 * construct can hand it to resources in other accounts. (Not exported from the package.)
 */
export function aliasName(key: IConstruct, alias: string | undefined, prefix: string): string {
  if (alias === undefined) {
    return `alias/${prefix}/${Names.uniqueResourceName(key, { maxLength: 200, separator: '-', allowedSpecialCharacters: '_-' })}`;
  }
  return Token.isUnresolved(alias) || alias.startsWith('alias/') ? alias : `alias/${alias}`;
}
