import { compareSnapshots, formatDifference, MASKED_SALT, normalizeAssembly, pairSnapshots, snapshotDirName, FileMap } from '../../integ/snapshot';

/** A raw assembly as aws-cdk-lib 2.258 writes it: one test-case stack, one DeployAssert stack, a tree. */
function rawAssembly(opts: { rotation?: boolean; salt?: string } = {}): FileMap {
  const json = (x: unknown) => JSON.stringify(x);
  const assert = 'ItDefaultTestDeployAssert1234ABCD';
  return {
    'cdk.out': json({ version: '54.0.0' }),
    'integ.json': json({
      version: '54.0.0',
      testCases: { 'It/DefaultTest': { stacks: ['KeyStack'], assertionStack: 'It/DefaultTest/DeployAssert', assertionStackName: assert } },
    }),
    'manifest.json': json({
      version: '54.0.0',
      artifacts: {
        'KeyStack.assets': { type: 'cdk:asset-manifest', properties: { file: 'KeyStack.assets.json' } },
        'KeyStack': {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: 'KeyStack.template.json' },
          dependencies: ['KeyStack.assets'],
          additionalMetadataFile: 'KeyStack.metadata.json',
          displayName: 'KeyStack',
        },
        [`${assert}.assets`]: { type: 'cdk:asset-manifest', properties: { file: `${assert}.assets.json` } },
        [assert]: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: `${assert}.template.json`, stackTemplateAssetObjectUrl: `s3://x/${opts.salt ?? '1'}.json` },
          dependencies: ['KeyStack', `${assert}.assets`],
          additionalMetadataFile: `${assert}.metadata.json`,
          displayName: 'It/DefaultTest/DeployAssert',
        },
        'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    }),
    'KeyStack.template.json': json({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: opts.rotation ?? true } } } }),
    'KeyStack.assets.json': json({ version: '54.0.0', files: {} }),
    'KeyStack.metadata.json': json({
      '/KeyStack/Key/Resource': [
        { type: 'aws:cdk:logicalId', data: 'Key', trace: ['/home/someone/integ.x.ts:3'] },
        { type: 'aws:cdk:creationStack', data: ['/home/someone/integ.x.ts:3'] },
      ],
    }),
    [`${assert}.template.json`]: json({ Resources: { Call: { Type: 'Custom::DeployAssert@SdkCallKMSdescribeKey', Properties: { salt: opts.salt ?? '1' } } } }),
    [`${assert}.assets.json`]: json({ version: '54.0.0', files: { [opts.salt ?? '1']: { source: { path: `${assert}.template.json` } } } }),
    [`${assert}.metadata.json`]: json({ '/It/DefaultTest/DeployAssert/Call': [{ type: 'aws:cdk:logicalId', data: 'Call' }] }),
    'tree.json': json({ version: 'tree-0.1', tree: { id: 'App', salt: opts.salt ?? '1' } }),
  };
}

describe('integ snapshot tool', () => {
  test('names snapshot folders like integ-runner', () => {
    expect(snapshotDirName('integ/integ.privacy-key.ts')).toBe('integ.privacy-key.ts.snapshot');
  });

  describe('normalizeAssembly', () => {
    test('GIVEN an assembly with a DeployAssert stack WHEN normalized THEN only its template is kept, with the salt masked; tree and traces are left out', () => {
      const snap = normalizeAssembly(rawAssembly({ salt: '1795772636376' }));

      expect(Object.keys(snap)).toEqual([
        'cdk.out', 'integ.json', 'ItDefaultTestDeployAssert1234ABCD.template.json', 'KeyStack.assets.json', 'KeyStack.metadata.json', 'KeyStack.template.json', 'manifest.json',
      ]);
      expect(JSON.parse(snap['ItDefaultTestDeployAssert1234ABCD.template.json'])).toEqual({
        Resources: { Call: { Type: 'Custom::DeployAssert@SdkCallKMSdescribeKey', Properties: { salt: MASKED_SALT } } },
      });
      expect(Object.keys(JSON.parse(snap['manifest.json']).artifacts)).toEqual(['KeyStack.assets', 'KeyStack']);
      expect(JSON.parse(snap['KeyStack.metadata.json'])).toEqual({ '/KeyStack/Key/Resource': [{ type: 'aws:cdk:logicalId', data: 'Key' }] });
      expect(snap['KeyStack.template.json'].endsWith('}\n')).toBe(true);
    });

    test('GIVEN two synths that differ only in the assertion salt THEN the snapshots are identical', () => {
      const a = normalizeAssembly(rawAssembly({ salt: '1795772636376' }));
      const b = normalizeAssembly(rawAssembly({ salt: '1795772635799' }));

      expect(compareSnapshots(a, b)).toEqual([]);
    });

    test('GIVEN validation reports that differ only in the creation stacks (absolute paths) THEN the snapshots are identical and keep the finding', () => {
      const report = (dir: string) => JSON.stringify({
        pluginReports: [{
          pluginName: 'Construct Annotations',
          violations: [{ ruleName: 'cdk-ccpa:Warning', violatingConstructs: [{ constructPath: 'KeyStack/Key', stackTraces: [`<anonymous> (${dir}/integ/integ.x.ts:14:15)`] }] }],
        }],
      });
      const a = normalizeAssembly({ ...rawAssembly(), 'validation-report.json': report('/work/main') });
      const b = normalizeAssembly({ ...rawAssembly(), 'validation-report.json': report('/tmp/ci') });

      expect(compareSnapshots(a, b)).toEqual([]);
      expect(JSON.parse(a['validation-report.json']).pluginReports[0].violations[0]).toEqual({
        ruleName: 'cdk-ccpa:Warning', violatingConstructs: [{ constructPath: 'KeyStack/Key' }],
      });
    });

    test('rejects an app without an IntegTest', () => {
      const raw = rawAssembly();
      delete raw['integ.json'];

      expect(() => normalizeAssembly(raw)).toThrow(/must define an IntegTest/);
    });
  });

  describe('compareSnapshots', () => {
    const expected = normalizeAssembly(rawAssembly());

    test('GIVEN identical snapshots THEN there is no difference', () => {
      expect(compareSnapshots(expected, normalizeAssembly(rawAssembly()))).toEqual([]);
    });

    test('GIVEN a changed value THEN the file and JSON path are named', () => {
      const diffs = compareSnapshots(expected, normalizeAssembly(rawAssembly({ rotation: false })));

      expect(diffs).toEqual([{
        file: 'KeyStack.template.json',
        kind: 'changed',
        jsonPath: 'Resources.Key.Properties.EnableKeyRotation',
        expected: true,
        actual: false,
      }]);
      expect(formatDifference(diffs[0])).toBe('~ KeyStack.template.json  Resources.Key.Properties.EnableKeyRotation: true -> false');
    });

    test('GIVEN a file the synthesis no longer produces THEN it is reported as removed', () => {
      const actual = { ...expected };
      delete actual['KeyStack.metadata.json'];

      expect(compareSnapshots(expected, actual)).toEqual([{ file: 'KeyStack.metadata.json', kind: 'removed' }]);
    });

    test('GIVEN a new file THEN it is reported as added', () => {
      const actual = { ...expected, 'Other.template.json': '{}\n' };

      const diffs = compareSnapshots(expected, actual);

      expect(diffs).toEqual([{ file: 'Other.template.json', kind: 'added' }]);
      expect(formatDifference(diffs[0])).toMatch(/^\+ Other\.template\.json/);
    });

    test('GIVEN added and removed keys THEN each is reported with its path', () => {
      const actual = { ...expected, 'integ.json': '{"version":"54.0.0","extra":[1]}\n' };

      const paths = compareSnapshots(expected, actual).map(d => `${d.kind} ${d.jsonPath}`);

      expect(paths).toEqual(['removed testCases', 'added extra']);
    });

    test('GIVEN the same JSON formatted differently THEN it is still a difference', () => {
      const actual = { ...expected, 'cdk.out': '{"version":"54.0.0"}' };

      expect(compareSnapshots(expected, actual)).toEqual([{ file: 'cdk.out', kind: 'changed', jsonPath: '(formatting)' }]);
    });
  });

  test('pairs integ files with snapshot folders', () => {
    expect(pairSnapshots(
      ['integ.a.ts', 'integ.b.ts'],
      ['integ.a.ts.snapshot', 'integ.gone.ts.snapshot'],
    )).toEqual({ orphans: ['integ.gone.ts.snapshot'], missing: ['integ.b.ts'] });
  });
});
