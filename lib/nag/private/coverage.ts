/**
 * The CloudFormation resource types that store or move personal data, for the coverage table of
 * RULES.md: the rules that check each come from the rules' own `resourceTypes`; a type no rule
 * checks says why here. A test fails when a listed type has neither a rule nor a reason, or a
 * reason although a rule checks it.
 */
export interface CoveredType {
  readonly type: string;
  /** What personal data it holds or moves. */
  readonly holds: string;
  /** Why no rule checks it (only for types no rule checks). */
  readonly none?: string;
}

const NOT_YET = 'not checked yet: listed so the gap is visible; classify it and review its encryption and access by hand';
const SAM = 'SAM expands it only at deploy, so CfnInclude keeps it untransformed and its generated role, policies and stages are not in the template CcpaChecks reads; declare the AWS:: resources instead, or check the transformed template (aws cloudformation get-template --template-stage Processed) with cdk-ccpa audit';

export const PERSONAL_DATA_TYPES: readonly CoveredType[] = [
  { type: 'AWS::S3::Bucket', holds: 'objects' },
  { type: 'AWS::S3::BucketPolicy', holds: 'access to a bucket' },
  { type: 'AWS::DynamoDB::Table', holds: 'items' },
  { type: 'AWS::DynamoDB::GlobalTable', holds: 'items in every replica' },
  { type: 'AWS::Serverless::SimpleTable', holds: 'items (a SAM DynamoDB table)' },
  { type: 'AWS::RDS::DBInstance', holds: 'rows' },
  { type: 'AWS::RDS::DBCluster', holds: 'rows (Aurora, Multi-AZ clusters)' },
  { type: 'AWS::DocDB::DBCluster', holds: 'documents' },
  { type: 'AWS::DocDBElastic::Cluster', holds: 'documents' },
  { type: 'AWS::Neptune::DBCluster', holds: 'graph data' },
  { type: 'AWS::Redshift::Cluster', holds: 'warehouse tables' },
  { type: 'AWS::RedshiftServerless::Namespace', holds: 'warehouse tables' },
  { type: 'AWS::DAX::Cluster', holds: 'cached table items' },
  { type: 'AWS::ElastiCache::ReplicationGroup', holds: 'cached values' },
  { type: 'AWS::ElastiCache::ServerlessCache', holds: 'cached values' },
  { type: 'AWS::ElastiCache::CacheCluster', holds: 'cached values' },
  { type: 'AWS::MemoryDB::Cluster', holds: 'values (a durable in-memory database)' },
  { type: 'AWS::EFS::FileSystem', holds: 'files' },
  { type: 'AWS::EC2::Volume', holds: 'block storage' },
  { type: 'AWS::EC2::Instance', holds: 'block storage of its mapped volumes' },
  { type: 'AWS::EC2::LaunchTemplate', holds: 'block storage of the volumes it maps' },
  { type: 'AWS::OpenSearchService::Domain', holds: 'indexed documents' },
  { type: 'AWS::Elasticsearch::Domain', holds: 'indexed documents' },
  { type: 'AWS::Kinesis::Stream', holds: 'records in transit (up to 365 days)' },
  { type: 'AWS::KinesisFirehose::DeliveryStream', holds: 'records in transit' },
  { type: 'AWS::SQS::Queue', holds: 'messages' },
  { type: 'AWS::SNS::Topic', holds: 'messages in transit' },
  { type: 'AWS::Logs::LogGroup', holds: 'log events (when classified as holding personal data)' },
  { type: 'AWS::Backup::BackupVault', holds: 'recovery points of every store above' },
  { type: 'AWS::Cognito::UserPool', holds: 'user profiles and credentials' },
  { type: 'AWS::ApiGateway::Stage', holds: 'requests (access logs)' },
  { type: 'AWS::ApiGateway::Method', holds: 'requests' },
  { type: 'AWS::ApiGatewayV2::Stage', holds: 'requests (access logs)' },
  { type: 'AWS::ApiGatewayV2::Route', holds: 'requests' },
  { type: 'AWS::Lambda::Function', holds: 'requests it processes' },
  { type: 'AWS::Lambda::Url', holds: 'requests to a function, straight from the internet' },
  { type: 'AWS::StepFunctions::StateMachine', holds: 'request state and execution history' },
  { type: 'AWS::KMS::Key', holds: 'the keys that protect every store above' },
  { type: 'AWS::CloudTrail::Trail', holds: 'the record of access to the stores' },
  // only its FunctionUrlConfig is read: SAM expands its role, policies and event sources at deploy (see SAM)
  { type: 'AWS::Serverless::Function', holds: 'requests it processes (its FunctionUrlConfig only: SAM expands its role, policies and event sources at deploy, so check the transformed template with cdk-ccpa audit)' },
  { type: 'AWS::Serverless::Api', holds: 'requests', none: SAM },
  { type: 'AWS::EC2::Snapshot (none)', holds: 'copies of volumes', none: 'no such resource type: EBS snapshots are made at run time (AWS Backup, Data Lifecycle Manager) and inherit the volume\'s key, which EBSCustomerManagedKey checks; account-wide EBS encryption by default is an account setting no template can set' },
  { type: 'AWS::NeptuneGraph::Graph', holds: 'graph data', none: NOT_YET },
  { type: 'AWS::FSx::FileSystem', holds: 'files', none: NOT_YET },
  { type: 'AWS::MSK::Cluster', holds: 'records in transit', none: NOT_YET },
  { type: 'AWS::OpenSearchServerless::Collection', holds: 'indexed documents', none: 'its encryption is set by a separate AWS::OpenSearchServerless::SecurityPolicy matched by collection name patterns; not checked yet' },
  { type: 'AWS::Events::EventBus', holds: 'events in transit', none: NOT_YET },
  { type: 'AWS::Timestream::Database', holds: 'time series', none: NOT_YET },
  { type: 'AWS::Cassandra::Keyspace', holds: 'rows (Amazon Keyspaces)', none: NOT_YET },
  { type: 'AWS::Glue::Table', holds: 'a schema over data in S3 (the bucket is checked)', none: 'holds no data itself: the S3 bucket it describes is checked' },
];
