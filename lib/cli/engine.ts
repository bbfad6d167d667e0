import { createHash } from 'crypto';
import { App, CfnResource, PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude, CfnIncludeProps } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { AuditUnit, CheckOptions, Finding, PathAcknowledgement, StackInput, UnitResult } from './model';
import { propertyOf } from './rule-properties';
import { InputError, readTemplate, TemplateSource } from './template-source';
import { CcpaChecks } from '../nag/ccpa-checks';
import { OrganizationTrailCoverage } from '../nag/organization-trail-coverage';
import { ALL_RULES } from '../nag/rules';

/** The cdk-nag packs `--packs` adds, by the short name the option takes. */
export const EXTRA_PACKS: Readonly<Record<string, () => NagPack>> = {
  'aws-solutions': () => new AwsSolutionsChecks(),
  'hipaa-security': () => new HIPAASecurityChecks(),
  'nist-800-53-r5': () => new NIST80053R5Checks(),
  'pci-dss-3.2.1': () => new PCIDSS321Checks(),
  'serverless': () => new ServerlessChecks(),
};

const RULES_BY_ID = new Map(ALL_RULES.map((r) => [`CCPA-${r.id}`, r]));

/** Where an L1 of the App came from. */
interface Origin {
  readonly source: TemplateSource;
  /** The construct path of the resource in the app that synthesized the template, when known. */
  readonly cdkPath?: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

/**
 * Audits one unit the way `cdk synth` would check it: every template goes into one fresh App
 * through CfnInclude (a Stack each, nested stacks loaded into NestedStacks), acknowledgements of
 * the assembly and of the templates' `cdk_nag` metadata are recorded on the constructs they name,
 * `--org-trail` becomes an OrganizationTrailCoverage on the App, then CcpaChecks (and the extra
 * packs) validate the App. Throws InputError when a template cannot be loaded.
 */
export function auditUnit(unit: AuditUnit, options: CheckOptions): UnitResult {
  const app = new App({ autoSynth: false, analyticsReporting: false });
  const origins = new Map<string, Origin>();
  const packNames = new Set(['CCPA', ...options.packs.map((p) => EXTRA_PACKS[p]().name)]);
  let templates = 0;
  const ids = new Set<string>();
  for (const input of unit.stacks) {
    const stack = new Stack(app, uniqueId(input.display, ids));
    const loaded = include(stack, input, options, origins);
    templates += loaded;
  }
  recordAcknowledgements(app, origins, unit.acknowledgements, packNames);
  if (options.orgTrail) {
    new OrganizationTrailCoverage(app, 'OrganizationTrail', { trailArn: options.orgTrail });
  }
  const findings: Finding[] = [];
  const packs: NagPack[] = [new CcpaChecks(), ...options.packs.map((p) => EXTRA_PACKS[p]())];
  for (const pack of packs) {
    collect(pack.validateScope(app), origins, unit.label, findings);
  }
  return { templates, findings };
}

/** Loads one template (and its nested stacks) into `stack`; returns the number of templates. */
function include(stack: Stack, input: StackInput, options: CheckOptions, origins: Map<string, Origin>): number {
  const sources: Array<{ source: TemplateSource; path: string[]; input: StackInput }> = [];
  const props = includeProps(input, options, [], sources);
  let root: CfnInclude;
  try {
    root = new CfnInclude(stack, 'Template', props);
  } catch (e) {
    throw new InputError(input.display, `cannot load the template: ${oneLine((e as Error).message)}`);
  }
  for (const { source, path, input: from } of sources) {
    let included = root;
    for (const id of path) included = included.getNestedStack(id).includedTemplate;
    for (const logicalId of Object.keys(source.template.Resources)) {
      const resource = included.getResource(logicalId) as CfnResource;
      const metadataPath = source.template.Resources[logicalId]?.Metadata?.['aws:cdk:path'];
      const cdkPath = from.paths?.[logicalId] ?? (typeof metadataPath === 'string' ? metadataPath : undefined);
      origins.set(resource.node.path, { source, logicalId, resource, cdkPath });
    }
  }
  return sources.length;
}

function includeProps(input: StackInput, options: CheckOptions, path: string[],
  sources: Array<{ source: TemplateSource; path: string[]; input: StackInput }>): CfnIncludeProps {
  const source = readTemplate(input.file, input.display);
  sources.push({ source, path, input });
  const declared = source.template.Parameters ?? {};
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.parameters)) {
    if (key in declared) parameters[key] = value;
  }
  const loadNestedStacks: Record<string, CfnIncludeProps> = {};
  for (const [logicalId, nested] of Object.entries(input.nested)) {
    loadNestedStacks[logicalId] = includeProps(nested, { ...options, parameters: {} }, [...path, logicalId], sources);
  }
  return { templateFile: input.file, parameters, loadNestedStacks, preserveLogicalIds: true };
}

/**
 * Records the acknowledgements a synthesized assembly carries, where cdk-nag looks for them:
 * `Metadata.cdk_nag.rules_to_suppress` of a resource on its L1; the assembly's
 * `aws:cdk:acknowledged-rules` entries on every L1 at or below the construct path they were recorded
 * on; a `<pack>::<rule>` id (which `cdk synth` collects from the whole app) on the App.
 */
function recordAcknowledgements(app: App, origins: Map<string, Origin>, acks: readonly PathAcknowledgement[], packNames: Set<string>): void {
  const byPath = new Map<string, PathAcknowledgement[]>();
  for (const ack of acks) {
    const [prefix, rule] = ack.id.split('::');
    if (rule !== undefined && packNames.has(prefix)) {
      record(app, rule, ack.reason);
    } else {
      byPath.set(ack.path, [...(byPath.get(ack.path) ?? []), ack]);
    }
  }
  for (const { source, logicalId, resource, cdkPath } of origins.values()) {
    const body = source.template.Resources[logicalId] ?? {};
    const suppress = body.Metadata?.cdk_nag?.rules_to_suppress;
    if (Array.isArray(suppress)) {
      for (const s of suppress) {
        // cdk-nag v2 refused reasons under 10 characters: such an entry acknowledges nothing
        if (typeof s?.id === 'string' && typeof s.reason === 'string' && s.reason.trim().length >= 10) record(resource, s.id, s.reason);
      }
    }
    if (cdkPath !== undefined && byPath.size > 0) {
      const segments = cdkPath.split('/');
      for (let n = segments.length; n > 0; n--) {
        for (const ack of byPath.get(segments.slice(0, n).join('/')) ?? []) record(resource, ack.id, ack.reason);
      }
    }
  }
}

function record(scope: { node: App['node'] }, id: string, reason: string): void {
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
}

function collect(report: PolicyValidationPluginReport, origins: Map<string, Origin>, label: string, out: Finding[]): void {
  for (const v of report.violations) {
    const rule = v.ruleName.replace(/\[.*\]$/, '');
    const cannotVerify = v.ruleName !== rule;
    const ccpa = RULES_BY_ID.get(rule);
    const message = ccpa && !cannotVerify ? `${ccpa.what} Fix: ${ccpa.fix}` : v.description;
    const severity = v.severity === 'error' ? 'error' : 'warning';
    for (const r of v.violatingResources) {
      const found = { ruleId: v.ruleName, rule, cannotVerify, severity, message } as const;
      const origin = origins.get(r.constructPath ?? '');
      if (!origin) {
        // not a resource of a template (none is expected): still reported, never dropped
        const logicalId = (r.constructPath ?? '').split('/').pop() ?? '';
        out.push({ ...found, file: label, logicalId, resourceType: '', fingerprint: fingerprint(v.ruleName, label, r.constructPath ?? '') });
        continue;
      }
      const body = origin.source.template.Resources[origin.logicalId];
      const location = origin.source.locations[origin.logicalId];
      const property = propertyOf(rule, body?.Properties);
      out.push({
        ...found,
        file: origin.source.file,
        logicalId: origin.logicalId,
        resourceType: String(body?.Type ?? ''),
        resourcePosition: location?.resource,
        property,
        propertyPosition: property ? location?.properties[property] : undefined,
        fingerprint: fingerprint(v.ruleName, origin.source.file, origin.logicalId),
      });
    }
  }
}

/**
 * A finding's identity: rule (with its `[CannotVerify]` suffix), template path and logical id.
 * Positions and content are left out, so reformatting and edits that keep the logical id keep it.
 */
export function fingerprint(ruleId: string, file: string, logicalId: string): string {
  return createHash('sha256').update(`${ruleId}\n${file}\n${logicalId}`).digest('hex').slice(0, 32);
}

function uniqueId(display: string, ids: Set<string>): string {
  const base = display.replace(/[^A-Za-z0-9-]/g, '-').slice(-100).replace(/^[^A-Za-z]+/, '') || 'Template';
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  ids.add(id);
  return id;
}

function oneLine(s: string): string {
  return s.split('\n')[0].trim();
}
