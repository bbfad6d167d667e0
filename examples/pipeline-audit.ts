/**
 * A CDK pipeline whose synth step audits the cloud assembly with `cdk-ccpa audit` before any
 * stage deploys: an error-level CcpaChecks finding fails the step (exit code 1), and the JUnit
 * report goes to CodeBuild's test reports.
 *
 *   npx cdk synth --app "npx ts-node examples/pipeline-audit.ts"
 */
import { App, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { CodeBuildStep, CodePipeline, CodePipelineSource } from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { PersonalDataBucket } from '../lib';

const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-data-events';

class DataStage extends Stage {
  constructor(scope: Construct, id: string, props?: StageProps) {
    super(scope, id, props);
    new PersonalDataBucket(new Stack(this, 'Data'), 'Customers');
  }
}

export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const pipeline = new CodePipeline(this, 'Pipeline', {
      synth: new CodeBuildStep('SynthAndAudit', {
        input: CodePipelineSource.connection('my-org/my-app', 'main', {
          connectionArn: 'arn:aws:codestar-connections:us-east-1:111111111111:connection/00000000-0000-0000-0000-000000000000',
        }),
        commands: [
          'npm ci',
          'npx cdk synth',
          // the whole assembly: every stage, nested stacks followed; fails the build on errors
          `npx cdk-ccpa audit cdk.out --org-trail ${ORG_TRAIL} --format text --format junit=reports/ccpa.xml`,
        ],
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          reports: { 'cdk-ccpa': { 'files': ['reports/ccpa.xml'], 'file-format': 'JUNITXML' } },
        }),
      }),
    });
    pipeline.addStage(new DataStage(this, 'Prod', { env: { account: '111111111111', region: 'us-east-1' } }));
  }
}

if (require.main === module) {
  const app = new App();
  new PipelineStack(app, 'Pipeline', { env: { account: '111111111111', region: 'us-east-1' } });
  app.synth();
}
