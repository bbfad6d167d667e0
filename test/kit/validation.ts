/**
 * Helpers for tests of `cdk synth`'s policy validation: which acknowledgement ids aws-cdk-lib applies
 * app-wide, and a validator wrapper that runs a costly plugin (cfn-guard: seconds of CPU on a DSR
 * stack) once per distinct set of templates instead of once per synth.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';

/**
 * An id aws-cdk-lib matches against every report as `<plugin>::<rule>`. cdk-nag ids with an
 * `appliesTo` part (`AwsSolutions-IAM5[Resource::*]`) hold `::` only inside the brackets, and
 * `annotation::<id>` is cdk-nag's own, scoped to the construct.
 */
export function isAppWideAcknowledgement(id: string): boolean {
  return /^[^[\]]+::/.test(id) && !/^annotation::/i.test(id);
}

/**
 * aws-cdk-lib's own acknowledgements of its template validation, not cdk-ccpa's (from 2.27x: the
 * FlowLog L2 acknowledges F3002/F3003 on itself, and a Stack whose `availabilityZones` were read
 * acknowledges W3010, literal AZs, on itself). Only `npx projen test:latest` meets them; on the
 * floor version (2.258) aws-cdk-lib records none.
 */
export function isAwsCdkLibOwnAcknowledgement(id: string, constructPath: string, isStack = false): boolean {
  return /^CloudFormation-Validate::(F3002|F3003)$/.test(id) && /(^|\/)FlowLog$/.test(constructPath)
    || id === 'CloudFormation-Validate::W3010' && isStack;
}

/**
 * Wraps a validation plugin so that a synth whose templates have the same file names and contents
 * as an earlier one gets the earlier report (a copy, with the template paths of this synth) without
 * running the plugin again. Name and version are the wrapped plugin's, so `<plugin>::<rule>`
 * acknowledgements match exactly as they would on it. Share one instance between the synths that
 * should share runs; `runs` counts the real ones.
 */
export class MemoizedValidator implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];
  private readonly cache = new Map<string, { paths: string[]; report: PolicyValidationPluginReport }>();
  private realRuns = 0;

  constructor(private readonly inner: IPolicyValidationPlugin) {
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  /** How many times the wrapped plugin actually ran. */
  public get runs(): number {
    return this.realRuns;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const key = JSON.stringify(context.templatePaths.map((p) => [path.basename(p), sha256(p)]));
    let hit = this.cache.get(key);
    if (!hit) {
      this.realRuns++;
      hit = { paths: [...context.templatePaths], report: structuredClone(this.inner.validate(context)) };
      this.cache.set(key, hit);
    }
    const report = structuredClone(hit.report);
    const moved = new Map(hit.paths.map((p, i) => [p, context.templatePaths[i]]));
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        if (resource.templatePath) (resource as { templatePath: string }).templatePath = moved.get(resource.templatePath) ?? resource.templatePath;
      }
    }
    return report;
  }
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
