import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { asArray, CfnValue, isIntrinsic, normalizeParts, Part } from './cfn-values';
import { FunctionRef, functionOfParts, qualifierKey, resolveFunction } from './function-refs';

/** One way a function of the app is invoked asynchronously (Lambda queues the event and answers 202). */
export interface AsyncInvocation {
  /** The qualifier invoked (function-refs keys). */
  readonly qualifier: string;
  /** The resource that invokes it, or permits a service to. */
  readonly source: CfnResource;
  /** What the source is, for a finding: `EventBridge rule`, `SNS subscription`, ... */
  readonly kind: string;
  /**
   * What is missing on the delivery side (the source's own dead-letter queue), when the source
   * offers one and it is not set: EventBridge targets and SNS subscriptions drop an event they
   * could not hand to Lambda (a missing permission, a deleted function) unless it is set.
   */
  readonly deliveryMissing?: string;
  /** The source belongs to a data subject request workload (tagged privacy:workflow=dsr, or a DSR state machine). */
  readonly dsrSource: boolean;
}

/** Service principals that invoke Lambda asynchronously (CloudWatch Logs also as `logs.<region>.amazonaws.com`). */
const ASYNC_PRINCIPAL = /^(events|sns|s3|ses|iot|logs(\.[^.]+)?)\.amazonaws\.com(\.cn)?$/;

/** The Lambda invoke integrations of Step Functions (optimized, and the SDK integration). */
const LAMBDA_INVOKE = /:states:::(aws-sdk:)?lambda:invoke(\.waitForTaskToken)?$/;

const MARKER = /__CCPA_PART_(\d+)__/g;

/** What an `AWS::Lambda::EventInvokeConfig` of the app sets: for a function and qualifier, or a name not resolved. */
export interface FailureDestinations {
  /** `<function logical path>|<qualifier>` for each config with DestinationConfig.OnFailure.Destination. */
  readonly covered: Set<string>;
  /** Configs with an on-failure destination whose qualifier is not known at synth, by function. */
  readonly unknownQualifier: Map<CfnResource, CfnValue[]>;
  /** Configs with an on-failure destination whose FunctionName names no function of the app. */
  readonly unknownFunction: CfnValue[];
}

export function refKey(ref: FunctionRef): string {
  return `${ref.fn.node.path}|${ref.qualifier}`;
}

/** The on-failure destinations of the app's AWS::Lambda::EventInvokeConfig resources, built once. */
export function failureDestinations(index: AppIndex): FailureDestinations {
  return index.memo('async-failure-destinations', () => {
    const out: FailureDestinations = { covered: new Set(), unknownQualifier: new Map(), unknownFunction: [] };
    for (const c of index.resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      const props = index.props(c);
      const destination = props.DestinationConfig?.OnFailure?.Destination;
      if (destination === undefined || destination === '') continue;
      const ref = resolveFunction(index, props.FunctionName, c);
      if (!ref) {
        // a literal name or ARN that names no function of the app configures another function;
        // only a value not known at synth (a parameter, an unmapped import) may be one of the app's
        const literal = index.parts(props.FunctionName, c).every((p) => p.kind === 'text' || p.kind === 'pseudo');
        if (!literal) out.unknownFunction.push(props.FunctionName);
        continue;
      }
      const qualifier = qualifierKey(index, props.Qualifier, c);
      if (qualifier === undefined) {
        out.unknownQualifier.set(ref.fn, [...(out.unknownQualifier.get(ref.fn) ?? []), props.Qualifier]);
        continue;
      }
      out.covered.add(refKey({ fn: ref.fn, qualifier }));
    }
    return out;
  });
}

/**
 * Every asynchronous invocation of a function of the app, by function: EventBridge rule targets,
 * EventBridge Scheduler schedules, SNS subscriptions (protocol lambda, also inline in a topic), S3 bucket notifications (also the
 * `Custom::S3BucketNotifications` aws-cdk-lib writes), CloudWatch Logs subscription filters, Step
 * Functions Lambda invocations with `InvocationType: Event`, and `AWS::Lambda::Permission`s for the
 * services that invoke asynchronously. Built once.
 */
export function asyncInvocations(index: AppIndex): Map<CfnResource, AsyncInvocation[]> {
  return index.memo('async-invocations', () => {
    const out = new Map<CfnResource, AsyncInvocation[]>();
    const add = (ref: FunctionRef | undefined, inv: Omit<AsyncInvocation, 'qualifier'>) => {
      if (!ref) return;
      const list = out.get(ref.fn) ?? [];
      list.push({ ...inv, qualifier: ref.qualifier });
      out.set(ref.fn, list);
    };
    const taggedDsr = (value: CfnValue, from: CfnResource): boolean => {
      const t = index.target(value, from);
      return t.kind === 'resource' && index.taggedDsr(t.resource);
    };

    for (const rule of index.resourcesOfType('AWS::Events::Rule')) {
      const props = index.props(rule);
      if (props.State === 'DISABLED') continue;
      const dsrSource = index.taggedDsr(rule) || taggedDsr(props.EventBusName, rule);
      for (const target of asArray(props.Targets)) {
        if (!target || typeof target !== 'object') continue;
        const dlq = target.DeadLetterConfig?.Arn;
        add(resolveFunction(index, target.Arn, rule), {
          source: rule,
          kind: 'EventBridge rule',
          dsrSource,
          deliveryMissing: dlq === undefined || dlq === '' ? `no DeadLetterConfig on its target ${typeof target.Id === 'string' ? target.Id : ''}`.trim() : undefined,
        });
      }
    }

    // EventBridge Scheduler invokes a Lambda target asynchronously, with its own dead-letter queue for undelivered events
    for (const schedule of index.resourcesOfType('AWS::Scheduler::Schedule')) {
      const props = index.props(schedule);
      if (props.State === 'DISABLED') continue;
      const dlq = props.Target?.DeadLetterConfig?.Arn;
      add(resolveFunction(index, props.Target?.Arn, schedule), {
        source: schedule,
        kind: 'EventBridge Scheduler schedule',
        dsrSource: false,
        deliveryMissing: dlq === undefined || dlq === '' ? 'no DeadLetterConfig on its target' : undefined,
      });
    }

    for (const sub of index.resourcesOfType('AWS::SNS::Subscription')) {
      const props = index.props(sub);
      if (props.Protocol !== 'lambda') continue;
      add(resolveFunction(index, props.Endpoint, sub), {
        source: sub,
        kind: 'SNS subscription',
        dsrSource: index.taggedDsr(sub) || taggedDsr(props.TopicArn, sub),
        deliveryMissing: props.RedrivePolicy === undefined ? 'no RedrivePolicy (dead-letter queue) on the subscription' : undefined,
      });
    }
    for (const topic of index.resourcesOfType('AWS::SNS::Topic')) {
      for (const s of asArray(index.props(topic).Subscription)) {
        if (s?.Protocol !== 'lambda') continue;
        add(resolveFunction(index, s.Endpoint, topic), {
          source: topic,
          kind: 'SNS topic subscription',
          dsrSource: index.taggedDsr(topic),
          deliveryMissing: 'an inline Subscription, which cannot have a RedrivePolicy (dead-letter queue)',
        });
      }
    }

    for (const bucket of index.resourcesOfType('AWS::S3::Bucket')) {
      for (const c of asArray(index.props(bucket).NotificationConfiguration?.LambdaConfigurations)) {
        add(resolveFunction(index, c?.Function, bucket), { source: bucket, kind: 'S3 bucket notification', dsrSource: index.taggedDsr(bucket) });
      }
    }
    for (const n of index.resourcesOfType('Custom::S3BucketNotifications')) {
      const props = index.props(n);
      for (const c of asArray(props.NotificationConfiguration?.LambdaFunctionConfigurations)) {
        add(resolveFunction(index, c?.LambdaFunctionArn, n), { source: n, kind: 'S3 bucket notification', dsrSource: taggedDsr(props.BucketName, n) });
      }
    }

    for (const f of index.resourcesOfType('AWS::Logs::SubscriptionFilter')) {
      const props = index.props(f);
      add(resolveFunction(index, props.DestinationArn, f), { source: f, kind: 'CloudWatch Logs subscription filter', dsrSource: taggedDsr(props.LogGroupName, f) });
    }

    for (const sm of index.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      const dsrSource = index.isDsrWorkload(sm);
      for (const ref of eventInvocations(index, sm)) add(ref, { source: sm, kind: 'Step Functions task (InvocationType Event)', dsrSource });
    }

    for (const p of index.resourcesOfType('AWS::Lambda::Permission')) {
      const props = index.props(p);
      if (props.Action !== 'lambda:InvokeFunction' && props.Action !== 'lambda:*') continue;
      const principal = index.render(props.Principal, p);
      if (!ASYNC_PRINCIPAL.test(principal)) continue;
      // a permission for a source of the app (a rule, topic, bucket, log group) adds nothing: that
      // source's invocations are read from it (a disabled rule invokes nothing)
      if (index.target(props.SourceArn, p).kind === 'resource') continue;
      add(resolveFunction(index, props.FunctionName, p), { source: p, kind: `Lambda permission for ${principal.replace(/\{\{AWS::Region\}\}/, '<region>')}`, dsrSource: false });
    }
    return out;
  });
}

/**
 * The functions a state machine invokes with `InvocationType: Event` (the `lambda:invoke`
 * integration, optimized or SDK, JSONPath `Parameters` or JSONata `Arguments`), read from
 * `DefinitionString` (with the references it embeds), `Definition` and `DefinitionSubstitutions`.
 */
function eventInvocations(index: AppIndex, sm: CfnResource): FunctionRef[] {
  const props = index.props(sm);
  const substitutions: Record<string, CfnValue> = props.DefinitionSubstitutions && typeof props.DefinitionSubstitutions === 'object' ? props.DefinitionSubstitutions : {};
  let definition: CfnValue = props.Definition;
  let embedded: Part[] = [];
  if (props.DefinitionString !== undefined) {
    // the definition as JSON text with every embedded reference replaced by a marker
    const parts = normalizeParts(index.parts(props.DefinitionString, sm));
    embedded = parts;
    const text = parts.map((p, i) => (p.kind === 'text' ? p.text : `__CCPA_PART_${i}__`)).join('');
    try {
      definition = JSON.parse(text);
    } catch {
      return [];
    }
  }
  const partsOf = (value: CfnValue): Part[] | undefined => {
    if (typeof value !== 'string') return isIntrinsic(value) ? index.parts(value, sm) : undefined;
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole && whole[1] in substitutions) return index.parts(substitutions[whole[1]], sm);
    const out: Part[] = [];
    let last = 0;
    for (const m of value.matchAll(MARKER)) {
      out.push({ kind: 'text', text: value.slice(last, m.index) });
      out.push(embedded[Number(m[1])]);
      last = (m.index ?? 0) + m[0].length;
    }
    out.push({ kind: 'text', text: value.slice(last) });
    return normalizeParts(out);
  };
  const found: FunctionRef[] = [];
  const walk = (v: CfnValue, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 50) return;
    if (Array.isArray(v)) { v.forEach((x) => walk(x, depth + 1)); return; }
    const resource = typeof v.Resource === 'string' ? v.Resource.replace(MARKER, 'x') : isIntrinsic(v.Resource) ? index.render(v.Resource, sm) : '';
    if (v.Type === 'Task' && LAMBDA_INVOKE.test(resource)) {
      const args = v.Parameters ?? v.Arguments;
      if (args && typeof args === 'object' && args.InvocationType === 'Event') {
        const parts = partsOf(args.FunctionName);
        const ref = parts ? functionOfParts(index, parts) : undefined;
        if (ref) found.push(ref);
      }
    }
    for (const child of Object.values(v)) walk(child, depth + 1);
  };
  walk(definition, 0);
  return found;
}
