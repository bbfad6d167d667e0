import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledge one finding id on `scope`. aws-cdk-lib's `Validations.acknowledge` refuses an id
 * with more than one `::` (granular cdk-nag ids naming `arn:<AWS::Partition>:...` or
 * `arn:...:s3:::...`); those are recorded in the same metadata `acknowledge` writes.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}
