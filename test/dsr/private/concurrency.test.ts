/**
 * The workflow's concurrency (issue 14 finding 11): every Map state follows `maxConcurrency`, and
 * `reservedConcurrency` reserves concurrency for the functions the state machines invoke.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DsrWorkflow, DsrWorkflowProps, IsolatedAuditTrail, PersonalDataBucket, PrivacyTable } from '../../../lib';
import { ComplianceReport, expectCompliant, runComplianceKit } from '../../kit/compliance';
import { validationProblemsOf } from '../../kit/errors';
import { definitionFromTemplate } from '../local/asl';

const ENV = { account: '111111111111', region: 'us-east-1' };

function synth(props: Partial<DsrWorkflowProps> = {}) {
  const stack = new Stack(new App(), 'S', { env: ENV });
  const dsr = new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers'), new PersonalDataBucket(stack, 'Documents')], ...props });
  const template = Template.fromStack(stack);
  return { stack, dsr, template, json: template.toJSON() as any };
}

/** Every Map state of a definition (nested ones included), by name: its MaxConcurrency. */
function mapConcurrency(definition: Record<string, any>): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const visit = (states: Record<string, any>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Map') out[name] = state.MaxConcurrency;
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
    }
  };
  visit(definition.States);
  return out;
}

/** ReservedConcurrentExecutions of each DSR function, by its logical id's construct name. */
function reserved(json: any): Record<string, number | undefined> {
  return Object.fromEntries(Object.entries<any>(json.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.DSR_CONFIG)
    .map(([id, r]) => [id.replace(/^Dsr/, '').replace(/[0-9A-F]{8}$/, ''), r.Properties.ReservedConcurrentExecutions]));
}

describe('maxConcurrency', () => {
  test('GIVEN maxConcurrency 7 THEN every Map state of both state machines runs at most 7 at a time (the per-tombstone Map too)', () => {
    const { json } = synth({ maxConcurrency: 7 });
    expect(mapConcurrency(definitionFromTemplate(json))).toEqual({ ForEachStore: 7 });
    expect(mapConcurrency(definitionFromTemplate(json, 'replay'))).toEqual({ ForEachTombstone: 7, ForEachStoreOfTombstone: 7 });
  });

  test('GIVEN no maxConcurrency THEN the default 4 applies to every Map state', () => {
    const { json } = synth();
    expect(mapConcurrency(definitionFromTemplate(json))).toEqual({ ForEachStore: 4 });
    expect(mapConcurrency(definitionFromTemplate(json, 'replay'))).toEqual({ ForEachTombstone: 4, ForEachStoreOfTombstone: 4 });
  });
});

describe('reservedConcurrency', () => {
  test('GIVEN none THEN no DSR function reserves concurrency (nothing is taken from the account\'s unreserved pool)', () => {
    const { json } = synth();
    const r = reserved(json);
    expect(Object.keys(r).sort()).toEqual(['DeadlineCheck', 'Finalize', 'Intake', 'Replay', 'Requests', 'StoreStep']);
    expect(Object.values(r).every((v) => v === undefined)).toBe(true);
  });

  test('GIVEN 50 THEN the functions the state machines invoke reserve 50 each, the Requests function and the scheduled check none', () => {
    const { json } = synth({ reservedConcurrency: 50 });
    expect(reserved(json)).toEqual({
      Intake: 50, StoreStep: 50, Finalize: 50, Replay: 50, Requests: undefined, DeadlineCheck: undefined,
    });
  });

  test.each([
    [0, 'reservedConcurrency 0 is out of range'],
    [2.5, 'reservedConcurrency 2.5 is out of range'],
    [3, 'reservedConcurrency 3 is out of range; use a whole number from maxConcurrency (4)'],
    [1001, 'reservedConcurrency 1001 is out of range'],
  ])('GIVEN %p THEN the props are refused with DsrWorkflowReservedConcurrencyInvalid, naming the prop, the value and the fix', (value, fragment) => {
    const thrown = validationProblemsOf(() => synth({ reservedConcurrency: value }));
    expect(thrown.codes).toEqual(['DsrWorkflowReservedConcurrencyInvalid']);
    expect(thrown.message).toContain(fragment);
    expect(thrown.message).toContain('or leave it unset');
  });

  test('GIVEN maxConcurrency 10 THEN reservedConcurrency must be at least 10, and 10 is accepted', () => {
    expect(validationProblemsOf(() => synth({ maxConcurrency: 10, reservedConcurrency: 9 })).codes).toEqual(['DsrWorkflowReservedConcurrencyInvalid']);
    expect(reserved(synth({ maxConcurrency: 10, reservedConcurrency: 10 }).json).StoreStep).toBe(10);
  });

  describe('GIVEN 50, the compliance kit', () => {
    let report: ComplianceReport;
    beforeAll(() => {
      const { stack } = synth({ reservedConcurrency: 50 });
      new IsolatedAuditTrail(stack, 'Trail');
      report = runComplianceKit(stack);
    });

    test('THEN there are zero unacknowledged errors, and no acknowledgement of a concurrency finding that no longer arises', () => {
      expectCompliant(report);
      expect(report.unusedAcknowledgements.map((a) => `${a.id} @ ${a.path}`)).toEqual([]);
      const concurrency = report.acknowledgementsUsed.filter((a) => /LambdaConcurrency/.test(a.id)).map((a) => a.path.split('/')[2]).sort();
      expect(concurrency).toEqual(['DeadlineCheck', 'DeadlineCheck', 'Requests', 'Requests']);
    });
  });
});
