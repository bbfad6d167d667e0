import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { cite } from '../../private/provisions';
import { PropsValidator } from '../../private/validation';

/** The shortest deletion waiting period accepted for a key that protects personal data. */
export const MIN_PENDING_WINDOW_DAYS = 30;

/** The props every privacy key shares (see `PrivacyKeyOptions`). */
export interface KeyCommonProps {
  readonly alias?: string;
  readonly pendingWindow?: Duration;
  readonly removalPolicy?: RemovalPolicy;
}

/** Alias rules of the KMS CreateAlias API. */
const ALIAS_PATTERN = /^alias\/[a-zA-Z0-9/_-]+$/;

/** Record every problem of the shared props. */
export function validateCommonProps(v: PropsValidator, props: KeyCommonProps): void {
  if (props.alias !== undefined && !Token.isUnresolved(props.alias)) {
    const full = props.alias.startsWith('alias/') ? props.alias : `alias/${props.alias}`;
    v.check(props.alias.trim().length === 0 || full === 'alias/', 'AliasEmpty',
      `alias ${JSON.stringify(props.alias)} is empty: a privacy key needs a readable alias so that reviewers and the privacy inventory can tell which data it protects`);
    v.check(full !== 'alias/' && !ALIAS_PATTERN.test(full), 'AliasInvalid',
      `alias ${JSON.stringify(props.alias)} is not a valid KMS alias: use letters, digits, "/", "_" and "-" after "alias/"`);
    v.check(full.startsWith('alias/aws/'), 'AliasReserved', `alias ${JSON.stringify(props.alias)}: the "alias/aws/" prefix is reserved for AWS managed keys`);
    v.check(full.length > 256, 'AliasTooLong', `alias ${JSON.stringify(props.alias)} is ${full.length} characters long; KMS aliases hold at most 256`);
  }
  const pendingWindow = props.pendingWindow;
  if (pendingWindow !== undefined && !Token.isUnresolved(pendingWindow.toDays({ integral: false }))) {
    const days = pendingWindow.toDays({ integral: false });
    v.check(days < MIN_PENDING_WINDOW_DAYS, 'PendingWindowTooShort',
      `pendingWindow ${days} days is shorter than ${MIN_PENDING_WINDOW_DAYS} days: deleting a key makes every record encrypted under it unreadable, so a mistaken ScheduleKeyDeletion must stay recoverable for the longest window KMS allows (availability is part of the reasonable security of ${cite('civ-1798.81.5(b)')})`);
    v.check(days > MIN_PENDING_WINDOW_DAYS, 'PendingWindowTooLong', `pendingWindow ${days} days is longer than the 30 days KMS allows`);
  }
}
