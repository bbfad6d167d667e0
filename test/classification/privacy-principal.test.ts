import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PrivacyAccessLevel, PrivacyPrincipal } from '../../lib';

describe('PrivacyPrincipal.tag', () => {
  test('GIVEN a Lambda function WHEN tagged THEN its role carries the tags and the function does not', () => {
    const stack = new Stack(new App(), 'Stack');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}'),
    });

    PrivacyPrincipal.tag(fn, { access: PrivacyAccessLevel.PERSONAL, dsrWorkflow: true });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      Tags: [{ Key: 'privacy:access', Value: 'personal' }, { Key: 'privacy:workflow', Value: 'dsr' }],
    });
    const fnProps = Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties;
    expect(fnProps.Tags).toBeUndefined();
  });

  test('GIVEN backupWorkflow WHEN tagged THEN the role carries privacy:workflow=backup', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });

    PrivacyPrincipal.tag(role, { access: PrivacyAccessLevel.SENSITIVE, backupWorkflow: true });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Tags: [{ Key: 'privacy:access', Value: 'sensitive' }, { Key: 'privacy:workflow', Value: 'backup' }],
    });
  });

  test('GIVEN dsrWorkflow and backupWorkflow together WHEN tagged THEN a ValidationError names both', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

    expect(() => PrivacyPrincipal.tag(role, { dsrWorkflow: true, backupWorkflow: true }))
      .toThrow(/dsrWorkflow and backupWorkflow are both true: privacy:workflow holds one workflow/);
  });

  test('GIVEN sensitive then personal access WHEN tagged THEN the role keeps sensitive (levels only rise)', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

    PrivacyPrincipal.tag(role, { access: PrivacyAccessLevel.SENSITIVE });
    PrivacyPrincipal.tag(role, { access: PrivacyAccessLevel.PERSONAL });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Tags: [{ Key: 'privacy:access', Value: 'sensitive' }],
    });
  });

  test('GIVEN a scope with a bucket and a user WHEN tagged THEN only the user is tagged', () => {
    const stack = new Stack(new App(), 'Stack');
    new s3.Bucket(stack, 'Bucket');
    new iam.User(stack, 'User');

    PrivacyPrincipal.tag(stack, { access: PrivacyAccessLevel.PERSONAL });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::User', { Tags: [{ Key: 'privacy:access', Value: 'personal' }] });
    expect(Object.values(template.findResources('AWS::S3::Bucket'))[0].Properties?.Tags).toBeUndefined();
  });
});
