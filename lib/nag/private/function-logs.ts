import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { asArray } from './cfn-values';

/** The log groups and LogRetention resources of each Lambda function, built once. */
export interface FunctionLogs {
  /** AWS::Logs::LogGroup resources the function logs to (LoggingConfig.LogGroup, or named /aws/lambda/<function>). */
  readonly logGroups: CfnResource[];
  /** Custom::LogRetention resources for /aws/lambda/<function> (the `logRetention` prop). */
  readonly logRetentions: CfnResource[];
  /** LoggingConfig.LogGroup names a group this app does not define. */
  readonly external: boolean;
}

/** Whether a value is '/aws/lambda/' followed by a reference to a function: returns the function. */
function lambdaLogGroupNameTarget(index: AppIndex, value: unknown, from: CfnResource): CfnResource | undefined {
  const parts = index.parts(value, from);
  if (parts.length === 2 && parts[0].kind === 'text' && parts[0].text === '/aws/lambda/' && parts[1].kind === 'ref' && parts[1].attr === 'Ref') {
    const fn = index.resourceOf(parts[1]);
    return fn?.cfnResourceType === 'AWS::Lambda::Function' ? fn : undefined;
  }
  return undefined;
}

export function functionLogs(index: AppIndex): Map<CfnResource, FunctionLogs> {
  return index.memo('function-logs', () => {
    const map = new Map<CfnResource, { logGroups: CfnResource[]; logRetentions: CfnResource[]; external: boolean }>();
    const entry = (fn: CfnResource) => {
      let e = map.get(fn);
      if (!e) { e = { logGroups: [], logRetentions: [], external: false }; map.set(fn, e); }
      return e;
    };
    for (const r of index.resourcesOfType('Custom::LogRetention')) {
      const fn = lambdaLogGroupNameTarget(index, index.props(r).LogGroupName, r);
      if (fn) entry(fn).logRetentions.push(r);
    }
    for (const g of index.resourcesOfType('AWS::Logs::LogGroup')) {
      const name = index.props(g).LogGroupName;
      const fn = name === undefined ? undefined : lambdaLogGroupNameTarget(index, name, g);
      if (fn) entry(fn).logGroups.push(g);
    }
    for (const fn of index.resourcesOfType('AWS::Lambda::Function')) {
      const configured = index.props(fn).LoggingConfig?.LogGroup;
      if (configured === undefined) continue;
      const t = index.target(configured, fn);
      if (t.kind === 'resource' && t.resource.cfnResourceType === 'AWS::Logs::LogGroup') entry(fn).logGroups.push(t.resource);
      else entry(fn).external = true;
    }
    return map;
  });
}

/**
 * The log groups (and LogRetention resources) that hold the logs of data subject request
 * workloads: those of functions and state machines that run as, or are, tagged
 * `privacy:workflow=dsr`, plus log groups tagged so themselves. Built once.
 */
export function dsrLogResources(index: AppIndex): Set<CfnResource> {
  return index.memo('dsr-log-resources', () => {
    const out = new Set<CfnResource>();
    const logs = functionLogs(index);
    for (const fn of index.resourcesOfType('AWS::Lambda::Function')) {
      if (!index.isDsrWorkload(fn)) continue;
      const e = logs.get(fn);
      e?.logGroups.forEach((g) => out.add(g));
      e?.logRetentions.forEach((r) => out.add(r));
    }
    for (const sm of index.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      if (!index.isDsrWorkload(sm)) continue;
      for (const d of asArray(index.props(sm).LoggingConfiguration?.Destinations)) {
        const t = index.target(d?.CloudWatchLogsLogGroup?.LogGroupArn, sm);
        if (t.kind === 'resource') out.add(t.resource);
      }
    }
    for (const g of index.resourcesOfType('AWS::Logs::LogGroup')) {
      if (index.taggedDsr(g)) out.add(g);
    }
    return out;
  });
}
