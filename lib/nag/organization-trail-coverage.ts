import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DeclaredCoverage, ORG_TRAIL_COVERAGE_MARKER } from './private/app-index';
import { PropsValidator } from '../private/validation';

/** Props of an OrganizationTrailCoverage declaration. */
export interface OrganizationTrailCoverageProps {
  /**
   * The ARN of the trail that logs the data events (usually an organization trail in the
   * management or log-archive account). Recorded so that reviewers can check the claim.
   */
  readonly trailArn: string;

  /**
   * Whether the trail logs read and write S3 data events (`AWS::S3::Object`) of every bucket in scope.
   *
   * @default true
   */
  readonly s3DataEvents?: boolean;

  /**
   * Whether the trail logs read and write DynamoDB data events (`AWS::DynamoDB::Table`) of every table in scope.
   *
   * @default true
   */
  readonly dynamoDbDataEvents?: boolean;
}

/**
 * Declares that a trail defined outside this app (an organization trail) logs the data events of
 * every S3 bucket and DynamoDB table below `scope`. CcpaChecks then counts those stores as
 * covered (rules `CCPA-CloudTrailDataEventCoverage` and `CCPA-S3BucketAccessAudited`).
 *
 * The declaration creates no resource: it is a reviewable claim in code, scoped to the construct
 * it is added to (an App covers every stack; a Stack covers its own resources).
 *
 * ```ts
 * new OrganizationTrailCoverage(app, 'OrgTrail', {
 *   trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-data-events',
 * });
 * ```
 */
export class OrganizationTrailCoverage extends Construct {
  /** The trail that logs the data events. */
  public readonly trailArn: string;
  /** Whether S3 data events are covered. */
  public readonly s3DataEvents: boolean;
  /** Whether DynamoDB data events are covered. */
  public readonly dynamoDbDataEvents: boolean;

  constructor(scope: Construct, id: string, props: OrganizationTrailCoverageProps) {
    super(scope, id);
    const v = new PropsValidator(this, 'InvalidOrganizationTrailCoverage');
    v.check(!Token.isUnresolved(props.trailArn) && !/^arn:[^:]+:cloudtrail:[^:]*:\d{12}:trail\/.+$/.test(props.trailArn), 'TrailArnInvalid',
      `trailArn ${JSON.stringify(props.trailArn)} is not a CloudTrail trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>): the declaration must name the trail a reviewer can check`);
    v.check(props.s3DataEvents === false && props.dynamoDbDataEvents === false, 'CoversNothing',
      's3DataEvents and dynamoDbDataEvents are both false, so the declaration would cover nothing: set at least one to true.');
    v.throwIfInvalid();
    this.trailArn = props.trailArn;
    this.s3DataEvents = props.s3DataEvents ?? true;
    this.dynamoDbDataEvents = props.dynamoDbDataEvents ?? true;
    const declared: DeclaredCoverage = { s3: this.s3DataEvents, dynamoDb: this.dynamoDbDataEvents };
    Object.defineProperty(this, ORG_TRAIL_COVERAGE_MARKER, { value: declared, enumerable: false });
  }
}
