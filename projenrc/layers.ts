/**
 * The layers of lib/ and the lint rule that keeps every import pointing down.
 *
 * A module is a folder of lib/ (`lib/private` is the shared bottom layer). A module imports from
 * itself and from the modules of the layers below it, never from its own layer or one above, and
 * never from another module's `private/` folder: what two modules share moves down into
 * `lib/private/` or into a non-private file of the module that owns it.
 *
 *   0  private          shared helpers; imports no module
 *   1  classification   the tag model (classifications, categories, principal tags)
 *   2  encryption       PrivacyKey, PseudonymizationKey
 *   3  storage          PersonalDataBucket, PrivacyTable, PersonalDataBackupPlan, IPersonalDataStore
 *   4  inventory, audit, network, governance
 *                       each reads the stores and keys below it; none imports another
 *   5  nag, dsr         the rule pack and the DSR workflow; neither imports the other
 *   6  api, evidence    DsrApi, in front of a DsrWorkflow; CyberAuditEvidence, which reads the
 *                       inventory, the rule pack's findings, the trail, network and guardrails
 *   7  cli              `cdk-ccpa audit`, which runs the rule pack over templates
 *
 * `lib/index.ts` re-exports every module and belongs to no layer. The inventory finds the stores
 * and backup plans by walking the construct tree at synth: storage does not import it.
 */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['private'],
  ['classification'],
  ['encryption'],
  ['storage'],
  ['inventory', 'audit', 'network', 'governance'],
  ['nag', 'dsr'],
  ['api', 'evidence'],
  ['cli'],
];

/** Every module of lib/ (`private` included). */
export const MODULES: readonly string[] = LAYERS.flat();

/** The layer number of a module. */
export function layerOf(module: string): number {
  const layer = LAYERS.findIndex((l) => l.includes(module));
  if (layer < 0) {
    throw new Error(`lib/${module} is in no layer: add it to LAYERS in projenrc/layers.ts`);
  }
  return layer;
}

/** One zone of eslint-plugin-import's `import/no-restricted-paths`. */
export interface RestrictedPathZone {
  readonly target: string;
  readonly from: string;
  readonly message: string;
}

/**
 * The zones that forbid every import from a module into a module of the same or a higher layer,
 * and into another module's `private/` folder.
 */
export function restrictedPathZones(): RestrictedPathZone[] {
  const zones: RestrictedPathZone[] = [];
  for (const target of MODULES) {
    for (const from of MODULES) {
      if (from === target) continue;
      if (layerOf(from) >= layerOf(target)) {
        zones.push({
          target: `./lib/${target}`,
          from: `./lib/${from}`,
          message: `lib/${target} (layer ${layerOf(target)}) must not import lib/${from} (layer ${layerOf(from)}): imports point to lower layers only (projenrc/layers.ts).`,
        });
      } else if (from !== 'private') {
        zones.push({
          target: `./lib/${target}`,
          from: `./lib/${from}/private`,
          message: `lib/${from}/private is private to lib/${from}: move what lib/${target} needs into lib/private or a non-private file of lib/${from} (projenrc/layers.ts).`,
        });
      }
    }
  }
  return zones;
}
