import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { AppIndex } from '../../private/app-index';
import { asNumber, describeValue } from '../../private/cfn-values';
import { CcpaRule, Outcome } from '../../private/rule';

const TYPES = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster', 'AWS::Redshift::Cluster'];

/** Automated backups on in-scope relational and document databases (the standard DynamoDB meets with PITR). */
export const DatabaseBackupsEnabled: CcpaRule = {
  id: 'DatabaseBackupsEnabled',
  service: 'stores',
  level: NagMessageLevel.ERROR,
  resourceTypes: TYPES,
  what: 'An in-scope RDS instance, Aurora/Multi-AZ, DocumentDB, Neptune or Redshift cluster has automated backups off (BackupRetentionPeriod, or Redshift\'s AutomatedSnapshotRetentionPeriod, 0); cluster instances follow the cluster.',
  cites: ['ccr-7123(c)(18)', 'civ-1798.81.5(b)'],
  choice: 'The same standard as point-in-time recovery for DynamoDB tables: automated backups (which give point-in-time restore) on every database that holds personal data; the retention left unset is the service default (1 day).',
  risk: 'A database without automated backups cannot be restored after an accidental or malicious overwrite or deletion of personal data.',
  fix: 'Set backupRetention: Duration.days(7) or more (L1: BackupRetentionPeriod >= 1; Redshift: AutomatedSnapshotRetentionPeriod >= 1); bound the period and replay deletions after a restore.',
  evaluate(node: CfnResource, index: AppIndex): Outcome {
    if (!TYPES.includes(node.cfnResourceType) || !index.inScope(node)) return Outcome.NOT_APPLICABLE;
    const props = index.props(node);
    if (node.cfnResourceType === 'AWS::RDS::DBInstance' && props.DBClusterIdentifier !== undefined) return Outcome.NOT_APPLICABLE;
    const key = node.cfnResourceType === 'AWS::Redshift::Cluster' ? 'AutomatedSnapshotRetentionPeriod' : 'BackupRetentionPeriod';
    const period = props[key];
    if (index.anyUnknown({ [key]: period })) return Outcome.CANNOT_VERIFY;
    if (period === undefined) return Outcome.COMPLIANT;
    const days = asNumber(period);
    if (days === undefined) return index.unknown(key, period);
    if (days >= 1) return Outcome.COMPLIANT;
    index.note(`${key} = ${describeValue(period)}`);
    return Outcome.NON_COMPLIANT;
  },
};
