import { CfnResource } from 'aws-cdk-lib';
import { AppIndex } from './app-index';

/** The Lambda functions referenced by a state machine definition of the app (invoked as tasks), built once. */
export function functionsInvokedByStateMachines(index: AppIndex): Set<CfnResource> {
  return index.memo('functions-invoked-by-state-machines', () => {
    const out = new Set<CfnResource>();
    for (const sm of index.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      const props = index.props(sm);
      const definition = [props.DefinitionString, props.Definition, props.DefinitionSubstitutions];
      for (const r of index.referencedResources(definition, sm)) {
        if (r.cfnResourceType === 'AWS::Lambda::Function') out.add(r);
      }
    }
    return out;
  });
}

/** The functions that have an on-failure destination (AWS::Lambda::EventInvokeConfig / event source mapping), built once. */
export function functionsWithFailureDestination(index: AppIndex): Set<CfnResource> {
  return index.memo('functions-with-failure-destination', () => {
    const out = new Set<CfnResource>();
    for (const type of ['AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::EventSourceMapping']) {
      for (const c of index.resourcesOfType(type)) {
        const props = index.props(c);
        if (!props.DestinationConfig?.OnFailure?.Destination) continue;
        const t = index.target(props.FunctionName, c);
        if (t.kind === 'resource') out.add(t.resource);
      }
    }
    return out;
  });
}
