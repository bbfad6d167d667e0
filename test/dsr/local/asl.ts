/**
 * The synthesized state machine definition, with its intrinsics resolved to placeholder strings
 * (Lambda ARNs become `arn:aws:lambda:us-east-1:111111111111:function:<logicalId>`), as
 * aws-local-stepfunctions runs it.
 */
export function definitionFromTemplate(
  template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> },
  machine: 'requests' | 'replay' = 'requests',
): Record<string, unknown> {
  // the request state machine, or the tombstone replay state machine (logical id ...ReplayStateMachine...)
  const machines = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.includes('ReplayStateMachine') === (machine === 'replay'))
    .map(([, r]) => r);
  if (machines.length !== 1) throw new Error(`expected one ${machine} state machine, found ${machines.length}`);
  return JSON.parse(resolve(machines[0].Properties.DefinitionString) as string);
}

function resolve(v: unknown): unknown {
  if (typeof v === 'string' || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(resolve);
  const o = v as Record<string, unknown>;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(sep);
  }
  if ('Fn::GetAtt' in o) return `arn:aws:lambda:us-east-1:111111111111:function:${(o['Fn::GetAtt'] as string[])[0]}`;
  if ('Ref' in o) return o.Ref === 'AWS::Partition' ? 'aws' : o.Ref === 'AWS::Region' ? 'us-east-1' : o.Ref === 'AWS::AccountId' ? '111111111111' : `ref-${o.Ref as string}`;
  throw new Error(`unsupported intrinsic ${JSON.stringify(o)}`);
}
