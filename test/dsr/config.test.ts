/**
 * The contract between the DsrWorkflow construct and its handlers (lib/dsr/handlers/shared/config.ts):
 * the construct writes DSR_CONFIG, every handler reads it through parseDsrConfig, which refuses a
 * missing or incomplete configuration instead of running on defaults of its own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { configFromTemplate } from './local/environment';
import { DsrWorkflow, PersonalDataBucket, PrivacyTable } from '../../lib';
import { handler as deadlineCheck } from '../../lib/dsr/handlers/deadline-check.lambda';
import { handler as intake } from '../../lib/dsr/handlers/intake.lambda';
import { handler as requests } from '../../lib/dsr/handlers/requests.lambda';
import {
  DEADLINE_CHECK_LOG_MESSAGE, DSR_ENV, DsrConfig, DsrConfigError, MIN_AUDIT_RETENTION_DAYS,
  OPEN_REQUESTS_INDEX, parseDsrConfig, SERVICE_NAME, TOMBSTONES_INDEX,
} from '../../lib/dsr/handlers/shared/config';
import { runtime } from '../../lib/dsr/handlers/shared/runtime';

const ENV = { account: '111111111111', region: 'us-east-1' };

function synthesized(): { template: Template; config: Record<string, any> } {
  const stack = new Stack(new App(), 'S', { env: ENV });
  new DsrWorkflow(stack, 'Dsr', { stores: [new PrivacyTable(stack, 'Customers'), new PersonalDataBucket(stack, 'Documents')] });
  const template = Template.fromStack(stack);
  return { template, config: configFromTemplate(template.toJSON()) };
}

const refusal = (json: string | undefined): string => {
  try {
    parseDsrConfig(json);
  } catch (e) {
    expect(e).toBeInstanceOf(DsrConfigError);
    expect((e as Error).name).toBe('DsrConfigError');
    return (e as Error).message;
  }
  throw new Error('expected a DsrConfigError');
};

describe('GIVEN the configuration a DsrWorkflow synthesizes', () => {
  const { template, config } = synthesized();

  test('THEN the handlers accept it as it is, with the shared names and limits', () => {
    const parsed: DsrConfig = parseDsrConfig(JSON.stringify(config));
    expect(parsed).toEqual(config);
    expect(parsed).toMatchObject({
      openRequestsIndex: OPEN_REQUESTS_INDEX, tombstonesIndex: TOMBSTONES_INDEX, auditRetentionDays: MIN_AUDIT_RETENTION_DAYS,
    });
    expect(parsed.stores.map((s) => [s.id, s.kind])).toEqual([['0', 'dynamodb-table'], ['1', 's3-bucket']]);
  });

  test('THEN every handler gets it under DSR_CONFIG, with the shared service name', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(6);
    for (const f of fns) {
      expect(Object.keys(f.Properties.Environment.Variables)).toContain(DSR_ENV.CONFIG);
      expect(f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe(SERVICE_NAME);
    }
  });

  test('THEN the deadline metric counts the log line the deadline check writes', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: `{ $.message = "${DEADLINE_CHECK_LOG_MESSAGE}" }` });
    const source = fs.readFileSync(path.join(__dirname, '../../lib/dsr/handlers/deadline-check.lambda.ts'), 'utf8');
    expect(source).toContain('rt.logger.info(DEADLINE_CHECK_LOG_MESSAGE,');
  });

  test.each([
    'ledgerTable', 'auditBucket', 'pseudonymKeyId', 'exportBucket', 'eventBusName', 'openRequestsIndex', 'tombstonesIndex', 'workflow',
    'auditRetentionDays', 'exportLinkSeconds', 'deadlineWarningSeconds', 'stores',
  ])('WHEN %s is missing THEN it is refused, naming the field', (field) => {
    const { [field]: _gone, ...rest } = config;
    expect(refusal(JSON.stringify(rest))).toContain(`${field} must be`);
  });

  test('WHEN fields have the wrong type or range THEN every problem is listed at once', () => {
    const message = refusal(JSON.stringify({ ...config, ledgerTable: '', auditRetentionDays: 30, exportLinkSeconds: '3600', s3PageSize: 0 }));
    expect(message).toContain('ledgerTable must be a non-empty string');
    expect(message).toContain(`auditRetentionDays must be at least ${MIN_AUDIT_RETENTION_DAYS}`);
    expect(message).toContain('exportLinkSeconds must be a positive whole number');
    expect(message).toContain('s3PageSize must be a positive whole number when set');
  });

  test('WHEN a store lacks what its kind needs THEN it is refused, naming the store and field', () => {
    const [table, bucket] = config.stores;
    const message = refusal(JSON.stringify({
      ...config,
      stores: [{ ...table, keyAttributes: [], indexName: undefined }, { ...bucket, prefixTemplate: '' }, { ...bucket, id: '2', kind: 'efs' }, 'x'],
    }));
    expect(message).toContain('stores[0].indexName must be a non-empty string');
    expect(message).toContain('stores[0].keyAttributes must be a non-empty list of names');
    expect(message).toContain('stores[1].prefixTemplate must be a non-empty string');
    expect(message).toContain('stores[2].kind must be s3-bucket or dynamodb-table');
    expect(message).toContain('stores[3] must be an object');
  });

  test('WHEN the store ids are not their positions THEN it is refused (StoreStep finds a store by id)', () => {
    const [table, bucket] = config.stores;
    expect(refusal(JSON.stringify({ ...config, stores: [bucket, table] }))).toContain('stores[0].id must be "0"');
  });
});

describe('GIVEN no usable DSR_CONFIG', () => {
  test.each([
    [undefined, 'DSR_CONFIG is not set'],
    ['', 'DSR_CONFIG is not set'],
    ['{', 'DSR_CONFIG is not JSON'],
    ['[]', 'DSR_CONFIG is not a JSON object'],
    ['{}', 'DSR_CONFIG is invalid: ledgerTable must be a non-empty string'],
  ])('WHEN it is %j THEN it is refused', (json, message) => {
    expect(refusal(json)).toContain(message);
  });

  describe('WHEN a handler runs', () => {
    const saved = process.env[DSR_ENV.CONFIG];
    afterEach(() => {
      if (saved === undefined) delete process.env[DSR_ENV.CONFIG];
      else process.env[DSR_ENV.CONFIG] = saved;
    });

    test('THEN it fails with a DsrConfigError before any AWS call, instead of running on defaults', async () => {
      delete process.env[DSR_ENV.CONFIG];
      expect(() => runtime()).toThrow(DsrConfigError);
      await expect(intake({ requestId: 'r1' })).rejects.toThrow(DsrConfigError);
      await expect(deadlineCheck()).rejects.toThrow(DsrConfigError);
      process.env[DSR_ENV.CONFIG] = JSON.stringify({ ledgerTable: 'ledger' });
      await expect(requests({ action: 'STATUS', tenant: 't', requestId: 'r1' })).rejects.toThrow(/auditBucket must be a non-empty string/);
    });
  });
});

describe('GIVEN the library\'s runtime code', () => {
  const lib = path.join(__dirname, '../../lib');
  /** The modules a file loads at run time: value imports and re-exports with a module specifier (type-only ones are erased). */
  const runtimeImports = (file: string): string[] => {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const out: string[] = [];
    for (const s of source.statements) {
      if (ts.isImportDeclaration(s)) {
        const clause = s.importClause;
        const typeOnly = clause?.isTypeOnly
          || (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
            && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
        if (!typeOnly) out.push((s.moduleSpecifier as ts.StringLiteral).text);
      } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
        out.push((s.moduleSpecifier as ts.StringLiteral).text);
      }
    }
    return out;
  };
  const resolve = (from: string, spec: string): string => {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f))!;
  };

  test('THEN the contract module loads nothing at run time (no AWS SDK, no aws-cdk-lib)', () => {
    expect(runtimeImports(path.join(lib, 'dsr/handlers/shared/config.ts'))).toEqual([]);
  });

  test('THEN nothing the library loads from lib/index.ts reaches the AWS SDK or Powertools (they exist only in the Lambda bundles)', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of runtimeImports(file)) {
        if (spec.startsWith('.')) visit(resolve(file, spec));
        else external.add(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'));
      }
    };
    visit(path.join(lib, 'index.ts'));
    expect(seen).toContain(path.join(lib, 'dsr/handlers/shared/config.ts'));
    expect([...external].filter((m) => /^@aws-sdk\/|^@aws-lambda-powertools\//.test(m))).toEqual([]);
  });
});
