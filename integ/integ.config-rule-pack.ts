/**
 * Integ test: ConfigRulePack as individual AWS Config managed rules (the account needs a
 * configuration recorder, as every Config rule does).
 *
 * Against a real account the assertion checks that Config knows the log-retention rule with its
 * 365-day parameter. Here CI synthesizes it into integ/integ.config-rule-pack.ts.snapshot and diffs it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { ConfigRulePack } from '../lib';

const app = new App();
const stack = new Stack(app, 'CcpaConfigRulePackInteg');

new ConfigRulePack(stack, 'Rules');

const integ = new IntegTest(app, 'ConfigRulePackTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('ConfigService', 'describeConfigRules', { ConfigRuleNames: ['ccpa-cw-loggroup-retention-period-check'] })
  .expect(ExpectedResult.objectLike({
    ConfigRules: [{ Source: { Owner: 'AWS', SourceIdentifier: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK' }, InputParameters: '{"MinRetentionTime":"365"}' }],
  }));

app.synth();
