import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER_INVOCATIONS, Invocation, WorkflowHandlers } from './handlers';

/**
 * Reserve `reservedConcurrency` for each function the state machines invoke (Intake, StoreStep,
 * Finalize, Replay): a burst of requests is throttled there (and retried by the state machine)
 * instead of taking the account's shared concurrency. The Requests function (throttled by DsrApi)
 * and the scheduled deadline check keep the shared pool. Unset: nothing is reserved.
 */
export function reserveConcurrency(handlers: WorkflowHandlers, reservedConcurrency: number | undefined): void {
  if (reservedConcurrency === undefined) return;
  for (const [name, f] of Object.entries(handlers) as Array<[keyof WorkflowHandlers, lambda.Function]>) {
    if (HANDLER_INVOCATIONS[name] !== Invocation.STATE_MACHINE) continue;
    (f.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = reservedConcurrency;
  }
}

/** Whether the function has reserved concurrency (then no finding about its concurrency is acknowledged). */
export function hasReservedConcurrency(f: lambda.Function): boolean {
  return (f.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions !== undefined;
}
