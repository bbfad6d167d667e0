/**
 * Compliance test kit: runs a CDK scope through cdk-nag v3 (this repo's CcpaChecks, AwsSolutions,
 * HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1) and cfn-guard's Control Tower proactive rules, applies
 * `Validations.of(x).acknowledge({ id, reason })` acknowledgements SCOPED TO THE CONSTRUCT
 * SUBTREE they were recorded on, and fails with every unacknowledged error-level finding.
 *
 * Why the kit applies acknowledgements itself (aws-cdk-lib 2.258.0, cdk-nag 3.0.2):
 * - cdk-nag filters its own findings by walking from the L1 up to the root and comparing
 *   `annotation::<id>` (what `acknowledge({ id: 'AwsSolutions-S1' })` records) with the rule id;
 *   that is scoped and correct.
 * - `cdk synth` filters every other plugin's findings (cfn-guard included) by the id
 *   `<pluginName>::<ruleName>` collected from the WHOLE app: an acknowledgement on one bucket
 *   silences the rule for every resource in the app. Worse, because cfn-guard violations carry no
 *   `severity`, once ANY of its findings is acknowledged the whole cfn-guard report is recomputed
 *   as `success` and synth exits 0 with the other cfn-guard errors still listed.
 *   The kit therefore matches `cdk-validator-cfnguard::<ruleName>` only on the violating
 *   resource's construct or its ancestors, and treats cfn-guard findings as errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator, CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';
import * as cdk from 'aws-cdk-lib';
import {
  App,
  CfnResource,
  IPolicyValidationContextBeta1,
  IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  Stack,
  StackProps,
  Stage,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { isAwsCdkLibOwnAcknowledgement } from './validation';
import { CcpaChecks, ExpectedExemptions, OrganizationTrailCoverage } from '../../lib/nag';

/**
 * The ARN of an organization trail (in a management account) for construct scenarios: a test stack
 * declares its audit coverage as a member account would, with
 * `new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN })`, so that CcpaChecks'
 * audit-coverage rules see the stores covered.
 */
export const ORG_TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail';

/**
 * A Stack in a new App that declares, as a member account would, the organization trail
 * ({@link ORG_TRAIL_ARN}) that audits its stores' data events: the usual scenario of a construct test.
 */
export function auditedStack(id: string, props?: StackProps): Stack {
  const stack = new Stack(new App(), id, props);
  new OrganizationTrailCoverage(stack, 'OrgTrail', { trailArn: ORG_TRAIL_ARN });
  return stack;
}

/** Plugin name cfn-guard reports under, and the prefix of its acknowledgement ids. */
export const CFN_GUARD_SOURCE = 'cdk-validator-cfnguard';

/** Level of a finding: errors fail `expectCompliant`, warnings are only reported. */
export type FindingLevel = 'error' | 'warning';

/** An acknowledgement recorded with `Validations.of(construct).acknowledge({ id, reason })`. */
export interface Acknowledgement {
  /** The id as recorded in construct metadata, prefix removed for `annotation::` (e.g. `AwsSolutions-S1`). */
  readonly id: string;
  /** The raw metadata key (e.g. `annotation::AwsSolutions-S1`, `cdk-validator-cfnguard::s3_..._check`). */
  readonly rawId: string;
  /** The reason given. */
  readonly reason: string;
  /** Construct path the acknowledgement was recorded on ('' for the App). */
  readonly path: string;
  /**
   * True for a cdk-ccpa expected exemption (template metadata `ExpectedExemptions.METADATA_KEY`),
   * which only `ExpectedExemptions.filter` honours, on this resource only; false for an acknowledgement.
   */
  readonly expectedExemption?: boolean;
}

/** One finding of one rule on one resource. */
export interface ComplianceFinding {
  /** The pack or plugin that reported it: `AwsSolutions`, `HIPAA.Security`, `NIST.800.53.R5`, `PCI.DSS.321`, `cdk-validator-cfnguard`, … */
  readonly source: string;
  /** Rule id: `AwsSolutions-S1`, `AwsSolutions-IAM5[Resource::*]`, or the cfn-guard rule name `s3_bucket_logging_enabled_check`. */
  readonly ruleId: string;
  /** Control Tower control id parsed from the cfn-guard message (e.g. `CT.S3.PR.2`), if any. */
  readonly controlId?: string;
  /** The id to pass to `Validations.of(construct).acknowledge({ id, reason })` to acknowledge exactly this finding. */
  readonly ackId: string;
  /** Construct path of the violating L1 (falls back to `<templateFile>#<logicalId>` if it is not in the tree). */
  readonly path: string;
  /** CloudFormation logical id, when known. */
  readonly logicalId?: string;
  readonly level: FindingLevel;
  readonly message: string;
  /** The acknowledgement that covers this finding, if any. */
  readonly acknowledgement?: Acknowledgement;
}

/** Result of one kit run. */
export interface ComplianceReport {
  /** Path of the scope that was checked ('' for an App). */
  readonly scopePath: string;
  /** Every finding, acknowledged or not. */
  readonly findings: readonly ComplianceFinding[];
  /** Unacknowledged error-level findings: these fail `expectCompliant`. */
  readonly errors: readonly ComplianceFinding[];
  /** Unacknowledged warning-level findings (reported, never failing). */
  readonly warnings: readonly ComplianceFinding[];
  /** Findings covered by an acknowledgement. */
  readonly acknowledged: readonly ComplianceFinding[];
  /** Acknowledgements (in or above the scope) that covered at least one finding. */
  readonly acknowledgementsUsed: readonly Acknowledgement[];
  /** Acknowledgements (in or above the scope) that covered nothing the kit ran (stale, or for a pack the kit did not run). */
  readonly unusedAcknowledgements: readonly Acknowledgement[];
  /** Milliseconds per phase: `synth`, each pack name, `cdk-validator-cfnguard`, `total`. */
  readonly timingsMs: Readonly<Record<string, number>>;
}

/** Options of `runComplianceKit` / `expectCompliant`. */
export interface ComplianceKitOptions {
  /**
   * The cdk-nag packs to run.
   * @default - CcpaChecks, AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks
   */
  readonly nagPacks?: NagPack[];
  /** Packs run in addition to `nagPacks`; a pack whose name is already in the list is not run twice. @default - none */
  readonly extraNagPacks?: NagPack[];
  /**
   * Run cfn-guard; `true` means Control Tower proactive rules enabled, an object is passed to
   * `CfnGuardValidator` (Control Tower rules stay enabled unless it says otherwise).
   * @default true
   */
  readonly cfnGuard?: boolean | CfnGuardValidatorProps;
  /**
   * Also run the validation plugins registered on the root Stage with `Validations.of(app).addPlugins()`.
   * They are detached during the kit's synth (so synth does not print reports or set a failing exit code)
   * and run by the kit with scoped acknowledgements instead.
   * @default true
   */
  readonly includeRegisteredPlugins?: boolean;
  /**
   * Also run aws-cdk-lib's built-in CloudFormation template validation, where the loaded aws-cdk-lib
   * has it (2.27x: `npx projen test:latest`), its errors counted as errors. Off by default: each test
   * file pays seconds of CPU for its WebAssembly engine; test/integ/builtin-validation.test.ts runs
   * it on every integ app. The kit's own synth never runs it.
   * @default false
   */
  readonly builtinValidation?: boolean;
  /**
   * Synthesize the app first. `false`: check the cloud assembly the app's last synth wrote, for an app
   * that cannot be synthesized twice (an integ app: IntegTest adds its assertions during synth).
   * @default true
   */
  readonly synthesize?: boolean;
  /** Minimum trimmed length of an acknowledgement reason. @default 10 */
  readonly minReasonLength?: number;
}

/** Reasons that say nothing. Matched against the whole trimmed reason, case-insensitively. */
const PLACEHOLDER_REASON = /^(todo|tbd|tbc|fixme|xxx+|n\/?a|none|null|undefined|reason|placeholder|ignore[d]?|suppress(ed)?|ack(nowledged)?|ok(ay)?|fine|test|temp|wip|later|because|see above|\.+|-+|\?+|\*+)[.!]*$/i;
/** Reasons that start like a placeholder (e.g. `TODO: explain`). */
const PLACEHOLDER_PREFIX = /^(todo|tbd|fixme|xxx)\b/i;

/**
 * Returns why a reason is unacceptable, or undefined when it is acceptable:
 * non-empty, at least `minLength` characters, not a placeholder such as `TODO`, `n/a`, `reason`.
 */
export function reasonProblem(reason: unknown, minLength = 10): string | undefined {
  if (typeof reason !== 'string' || reason.trim() === '') return 'empty reason';
  const r = reason.trim();
  if (PLACEHOLDER_REASON.test(r) || PLACEHOLDER_PREFIX.test(r)) return `placeholder reason '${r}'`;
  if (r.length < minLength) return `reason '${r}' is shorter than ${minLength} characters`;
  return undefined;
}

/** Default cdk-nag packs of the kit (fresh instances: packs keep per-run state). */
export function defaultNagPacks(): NagPack[] {
  return [new CcpaChecks(), new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
}

/**
 * Runs every pack and cfn-guard on `scope` (a Stack, an App/Stage, or any construct inside a stack:
 * findings are limited to the scope's subtree). Synthesizes the root App ONCE (cfn-guard reads the
 * templates from the cloud assembly) and calls cfn-guard ONCE for all templates of the scope.
 * Throws if any acknowledgement in or above the scope has an empty/placeholder reason.
 * Call it once per scenario (e.g. in `beforeAll`) and assert on the returned report.
 */
export function runComplianceKit(scope: IConstruct, options: ComplianceKitOptions = {}): ComplianceReport {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const root = scope.node.root;
  if (!Stage.isStage(root)) {
    throw new Error(`compliance kit: the root of '${scope.node.path}' is not an App/Stage; create the stack inside an App`);
  }

  // 1. Synthesize once, with the app's registered plugins detached (the kit runs them itself).
  // aws-cdk-lib's built-in template validation (2.27x) is not run by synth: the kit runs it if asked (step 4).
  const registered = detachPlugins(root);
  const validationEnv = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const t = Date.now();
    if (options.synthesize ?? true) root.synth({ force: true });
    timings.synth = Date.now() - t;
  } finally {
    registered.restore();
    if (validationEnv === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validationEnv;
  }

  // 2. Acknowledgements in or above the scope, read after synth (aspects may record some, e.g. on an
  //    aws-cdk-lib singleton once the whole stack is known); refuse empty / placeholder reasons.
  const acks = collectAcknowledgements(scope);
  const minLen = options.minReasonLength ?? 10;
  const bad = acks
    .map((a) => ({ a, problem: reasonProblem(a.reason, minLen) }))
    .filter((x): x is { a: Acknowledgement; problem: string } => x.problem !== undefined);
  if (bad.length > 0) {
    throw new Error(
      `compliance kit: ${bad.length} acknowledgement(s) without a real reason:\n` +
      bad.map(({ a, problem }) => `  - '${a.rawId}' on '${a.path || '<App>'}': ${problem}`).join('\n'),
    );
  }

  const includeRegistered = options.includeRegisteredPlugins ?? true;
  const packs: NagPack[] = [];
  for (const p of [...(options.nagPacks ?? defaultNagPacks()), ...(options.extraNagPacks ?? [])]) {
    if (!packs.some((q) => q.readPackName === p.readPackName)) packs.push(p);
  }
  const otherPlugins: IPolicyValidationPluginBeta1[] = [];
  if (includeRegistered) {
    for (const p of registered.plugins) {
      if (p instanceof NagPack) {
        if (!packs.some((q) => q.readPackName === p.readPackName)) packs.push(p);
      } else if (!(p instanceof CfnGuardValidator)) {
        otherPlugins.push(p);
      }
    }
  }

  const raw: RawFinding[] = [];

  // 3. cdk-nag packs, with cdk-nag's own acknowledgement filter switched off so the kit sees
  //    every finding and can report which acknowledgement covered it.
  for (const pack of packs) {
    const t = Date.now();
    const report = validateWithoutAcknowledgements(pack, scope);
    timings[pack.readPackName] = Date.now() - t;
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        raw.push({
          source: pack.readPackName,
          ruleId: v.ruleName,
          level: v.severity === 'warning' ? 'warning' : 'error',
          message: v.description,
          path: r.constructPath ?? '',
          kind: 'nag',
        });
      }
    }
  }

  // 4. Template-based plugins (cfn-guard, plus other registered plugins): one call for all templates.
  const stacks = stacksOf(scope);
  const index = indexTemplates(stacks);
  const templatePlugins: IPolicyValidationPluginBeta1[] = [];
  const guard = options.cfnGuard ?? true;
  if (guard !== false) {
    templatePlugins.push(new CfnGuardValidator(guard === true ? controlTowerRulesFor(index.templatePaths) : guard));
  }
  const builtin = options.builtinValidation ? builtinTemplateValidation() : undefined;
  if (builtin) templatePlugins.push(builtin.plugin);
  templatePlugins.push(...otherPlugins);
  try {
    for (const plugin of templatePlugins) {
      if (index.templatePaths.length === 0) break;
      const t = Date.now();
      const report: PolicyValidationPluginReportBeta1 = plugin.validate(
        { templatePaths: index.templatePaths, appConstruct: root, stackTemplates: index.stackTemplates } as IPolicyValidationContextBeta1);
      timings[plugin.name] = Date.now() - t;
      for (const v of report.violations) {
        const severity = (v as { severity?: string }).severity;
        // the built-in validation also reports informational and debug diagnostics: not findings
        if (severity !== undefined && !['error', 'fatal', 'warning'].includes(severity)) continue;
        const description = v.description + (v.fix && v.fix !== v.description && v.fix !== 'N/A' ? ` Fix: ${v.fix}` : '');
        for (const r of v.violatingResources) {
          const templatePath = path.resolve(r.templatePath);
          const construct = r.resourceLogicalId === undefined ? undefined : index.byTemplate.get(templatePath)?.get(r.resourceLogicalId);
          // a diagnostic on the template as a whole (no logical id) names the stack
          const stackPath = (r as { constructPath?: string }).constructPath;
          raw.push({
            source: plugin.name,
            ruleId: v.ruleName,
            controlId: /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(v.description)?.[1],
            // cfn-guard reports no severity: everything it reports is an error (see file comment).
            level: severity === 'warning' ? 'warning' : 'error',
            message: description,
            path: construct?.node.path ?? (r.resourceLogicalId === undefined && stackPath !== undefined
              ? stackPath : `${path.basename(templatePath)}#${r.resourceLogicalId}`),
            logicalId: r.resourceLogicalId,
            kind: 'template',
          });
        }
      }
    }
  } finally {
    builtin?.dispose();
  }

  // 5. Scope filter and scoped acknowledgement matching.
  const scopePath = scope.node.path;
  const inScope = (p: string): boolean => scopePath === '' || p === scopePath || p.startsWith(scopePath + '/');
  const acksByPath = new Map<string, Acknowledgement[]>();
  for (const a of acks) acksByPath.set(a.path, [...(acksByPath.get(a.path) ?? []), a]);
  const used = new Set<Acknowledgement>();

  const findings: ComplianceFinding[] = [];
  for (const f of raw) {
    if (!inScope(f.path)) continue;
    const ackId = f.kind === 'nag' ? f.ruleId : `${f.source.replace(/ /g, '-')}::${f.ruleId.replace(/ /g, '-')}`;
    const accepted = f.kind === 'nag'
      // cdk-nag honours `annotation::<id>` (what a bare id becomes); cdk synth also honours `<pack>::<id>`.
      ? (a: Acknowledgement) => a.id === f.ruleId || a.rawId === `${f.source.replace(/ /g, '-')}::${f.ruleId.replace(/ /g, '-')}`
      // cdk synth honours only `<plugin>::<rule>` for non-nag plugins.
      : (a: Acknowledgement) => a.rawId === ackId;
    const acknowledgement = findAck(f.path, acksByPath, accepted);
    if (acknowledgement) used.add(acknowledgement);
    findings.push({
      source: f.source,
      ruleId: f.ruleId,
      ...(f.controlId ? { controlId: f.controlId } : {}),
      ackId,
      path: f.path,
      ...(f.logicalId ? { logicalId: f.logicalId } : {}),
      level: f.level,
      message: f.message,
      ...(acknowledgement ? { acknowledgement } : {}),
    });
  }
  // the sources the kit ran: an acknowledgement for another plugin (aws-cdk-lib >= 2.27x records
  // `CloudFormation-Validate::<rule>` ones on its own L2s for its built-in template validation) is not
  // the kit's to call unused
  const ran = new Set<string>([...packs.map((p) => p.readPackName), ...templatePlugins.map((p) => p.name)].map((n) => n.replace(/ /g, '-')));
  const stackPaths = new Set(root.node.findAll().filter((c) => Stack.isStack(c)).map((c) => c.node.path));
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.source.localeCompare(b.source) || a.ruleId.localeCompare(b.ruleId));
  timings.total = Date.now() - t0;
  recordTimings(scopePath, timings);

  return {
    scopePath,
    findings,
    errors: findings.filter((f) => !f.acknowledgement && f.level === 'error'),
    warnings: findings.filter((f) => !f.acknowledgement && f.level === 'warning'),
    acknowledged: findings.filter((f) => f.acknowledgement),
    acknowledgementsUsed: acks.filter((a) => used.has(a)),
    // aws-cdk-lib records its own for its built-in validation where a finding may arise, not where one did
    unusedAcknowledgements: acks.filter((a) => !used.has(a) && ranFor(a, ran)
      && !isAwsCdkLibOwnAcknowledgement(a.rawId, a.path, stackPaths.has(a.path))),
    timingsMs: timings,
  };
}

/**
 * Runs the kit (or takes a report from `runComplianceKit`) and throws an Error listing EVERY
 * unacknowledged error-level finding with source, rule id, construct path, message and the
 * acknowledgement id. Returns the report so a test can also assert the acknowledgements used.
 */
export function expectCompliant(scopeOrReport: IConstruct | ComplianceReport, options: ComplianceKitOptions = {}): ComplianceReport {
  const report = isReport(scopeOrReport) ? scopeOrReport : runComplianceKit(scopeOrReport, options);
  if (report.errors.length > 0) {
    throw new Error(formatFindings(report.errors, `${report.errors.length} unacknowledged compliance error(s) in '${report.scopePath || '<App>'}'`));
  }
  return report;
}

/** Formats findings one per line: `[source] ruleId (controlId) at path [logicalId]: message  (ack id: ...)`. */
export function formatFindings(findings: readonly ComplianceFinding[], title = `${findings.length} finding(s)`): string {
  const lines = findings.map((f) =>
    `  - [${f.source}] ${f.ruleId}${f.controlId ? ` (${f.controlId})` : ''} ${f.level} at ${f.path}` +
    `${f.logicalId ? ` [${f.logicalId}]` : ''}: ${f.message}` +
    (f.acknowledgement
      ? `\n      acknowledged on '${f.acknowledgement.path}': ${f.acknowledgement.reason}`
      : `\n      fix it, or acknowledge on the L1 or an ancestor: Validations.of(c).acknowledge({ id: '${f.ackId}', reason: '<why>' })`),
  );
  return `${title}:\n${lines.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// internals

interface RawFinding {
  readonly source: string;
  readonly ruleId: string;
  readonly controlId?: string;
  readonly level: FindingLevel;
  readonly message: string;
  readonly path: string;
  readonly logicalId?: string;
  readonly kind: 'nag' | 'template';
}

function isReport(x: IConstruct | ComplianceReport): x is ComplianceReport {
  return (x as ComplianceReport).findings !== undefined && (x as ComplianceReport).timingsMs !== undefined;
}

/** Acknowledgements recorded on the scope's subtree and on its ancestors (those apply to the scope too). */
function collectAcknowledgements(scope: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  const read = (c: IConstruct): void => {
    // a cdk-ccpa resource's expected exemptions (template metadata): what a user who wraps cfn-guard
    // in ExpectedExemptions.filter gets; they apply to this resource only
    if (CfnResource.isCfnResource(c)) {
      for (const e of ExpectedExemptions.of(c)) {
        out.push({ id: e.ruleId, rawId: e.ruleId, reason: e.reason, path: e.resourcePath, expectedExemption: true });
      }
    }
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [rawId, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        out.push({ id: rawId.replace(/^annotation::/i, ''), rawId, reason: typeof reason === 'string' ? reason : '', path: c.node.path });
      }
    }
  };
  for (const a of scope.node.scopes.slice(0, -1)) read(a);
  for (const c of scope.node.findAll()) read(c);
  return out;
}

/**
 * Whether an acknowledgement is for a source the kit ran: a `<plugin>::<rule>` id names its plugin;
 * a bare or `annotation::` id (any case: aws-cdk-lib 2.27x records `Annotation::`) is cdk-nag's.
 */
function ranFor(a: Acknowledgement, ran: ReadonlySet<string>): boolean {
  const plugin = /^([^[\]]+?)::/.exec(a.rawId)?.[1];
  return plugin === undefined || plugin.toLowerCase() === 'annotation' || ran.has(plugin);
}

/** The nearest acknowledgement (on the path itself, then ancestors) accepted by `accepts`. */
function findAck(
  findingPath: string,
  acksByPath: Map<string, Acknowledgement[]>,
  accepts: (a: Acknowledgement) => boolean,
): Acknowledgement | undefined {
  let p: string | undefined = findingPath;
  while (p !== undefined) {
    const hit = acksByPath.get(p)?.find(accepts);
    if (hit) return hit;
    p = p === '' ? undefined : (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  }
  return undefined;
}

/**
 * cdk-nag 3.0.2 drops acknowledged findings inside `applyRule` via the private `isAcknowledged`.
 * The kit shadows it on the instance for one run, so it sees every finding and applies the same
 * (scoped) matching itself. A self-test proves the result equals cdk-nag's own filtering.
 */
function validateWithoutAcknowledgements(pack: NagPack, scope: IConstruct) {
  const internals = pack as unknown as { isAcknowledged?: unknown };
  if (typeof internals.isAcknowledged !== 'function') {
    throw new Error('compliance kit: cdk-nag NagPack.isAcknowledged not found; the kit needs updating for this cdk-nag version');
  }
  internals.isAcknowledged = () => false;
  try {
    return pack.validateScope(scope);
  } finally {
    delete internals.isAcknowledged;
  }
}

/**
 * Temporarily removes the plugins registered on the root stage (aws-cdk-lib 2.258 keeps them in the
 * private array `_policyValidation`) so `synth` neither prints their report nor sets `process.exitCode`.
 */
function detachPlugins(root: Stage): { plugins: IPolicyValidationPluginBeta1[]; restore: () => void } {
  const holder = root as unknown as { _policyValidation?: IPolicyValidationPluginBeta1[] };
  const list = holder._policyValidation;
  if (!Array.isArray(list)) {
    throw new Error('compliance kit: Stage._policyValidation not found; the kit needs updating for this aws-cdk-lib version');
  }
  const plugins = list.splice(0);
  return { plugins, restore: () => { list.push(...plugins); } };
}

/** The stacks whose templates cover the scope: the enclosing stack, or every stack below it. */
function stacksOf(scope: IConstruct): Stack[] {
  const below = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  if (below.length > 0) return below;
  return [Stack.of(scope)];
}

interface TemplateIndex {
  readonly templatePaths: string[];
  /** what aws-cdk-lib 2.27x passes template plugins besides the paths (its built-in validation reads it) */
  readonly stackTemplates: { stackConstructPath: string; templatePath: string; accountId?: string; region?: string }[];
  /** absolute template path -> logical id -> L1 */
  readonly byTemplate: Map<string, Map<string, CfnResource>>;
}

function indexTemplates(stacks: Stack[]): TemplateIndex {
  const templatePaths: string[] = [];
  const stackTemplates: TemplateIndex['stackTemplates'] = [];
  const byTemplate = new Map<string, Map<string, CfnResource>>();
  for (const stack of stacks) {
    const stage = Stage.of(stack);
    if (!stage) throw new Error(`compliance kit: stack '${stack.node.path}' has no enclosing Stage`);
    const file = path.resolve(stage.outdir, stack.templateFile);
    if (!fs.existsSync(file)) throw new Error(`compliance kit: template of '${stack.node.path}' not found at ${file}`);
    templatePaths.push(file);
    stackTemplates.push({
      stackConstructPath: stack.node.path,
      templatePath: file,
      accountId: Token.isUnresolved(stack.account) ? undefined : stack.account,
      region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    });
    const byId = new Map<string, CfnResource>();
    for (const c of stack.node.findAll()) {
      if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) byId.set(stack.resolve(c.logicalId) as string, c);
    }
    byTemplate.set(file, byId);
  }
  return { templatePaths, stackTemplates, byTemplate };
}

/**
 * aws-cdk-lib's built-in CloudFormation template validation (`CloudFormationValidatePlugin`, from
 * 2.27x; the floor version has none), which a user's `cdk synth` runs by default, reporting its
 * errors as warnings unless `@aws-cdk/core:validateAgainstDefaultRules` is set. The kit runs it as
 * one more source and keeps its errors errors (the stricter setting). `dispose` frees its engine.
 */
export function builtinTemplateValidation(): { plugin: IPolicyValidationPluginBeta1; dispose: () => void } | undefined {
  const Plugin = (cdk as unknown as { CloudFormationValidatePlugin?: new () => IPolicyValidationPluginBeta1 }).CloudFormationValidatePlugin;
  if (Plugin === undefined) return undefined;
  const plugin = new Plugin();
  return { plugin, dispose: () => (plugin as { _dispose?: () => void })._dispose?.() };
}

/**
 * With CDK_CCPA_KIT_TIMINGS=<file>, each kit run appends one JSON line (test file, scope, milliseconds
 * per phase) to that file: where the suites' time goes (synth, each pack, cfn-guard).
 */
function recordTimings(scopePath: string, timings: Record<string, number>): void {
  const file = process.env.CDK_CCPA_KIT_TIMINGS;
  if (!file) return;
  const testPath = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.().testPath;
  fs.appendFileSync(file, JSON.stringify({ test: testPath ? path.relative(process.cwd(), testPath) : undefined, scope: scopePath, ...timings }) + '\n');
}

/** The Control Tower rules cfn-guard's validator ships (a folder of `.guard` files, one per control). */
const CONTROL_TOWER_RULES = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
let controlTowerRuleTypes: Map<string, Set<string>> | undefined;

/**
 * cfn-guard with the Control Tower rules, as `new CfnGuardValidator({ controlTowerRulesEnabled: true })`
 * registers them, except that each run passes cfn-guard only the rule files that name a resource
 * type in its templates (`controlTowerRulesFor`): the same findings (test/kit/compliance.test.ts
 * proves it) for a fraction of the CPU. Name, version and rule ids are the plain validator's, so
 * `<plugin>::<rule>` acknowledgements and `ExpectedExemptions.filter` treat it exactly as that one.
 * For tests that register cfn-guard on an app; a user registers the plain validator.
 */
export class ControlTowerGuard implements IPolicyValidationPluginBeta1 {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor() {
    const plain = new CfnGuardValidator({ controlTowerRulesEnabled: true });
    this.name = plain.name;
    this.version = plain.version;
    this.ruleIds = plain.ruleIds;
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    return new CfnGuardValidator(controlTowerRulesFor(context.templatePaths)).validate(context);
  }
}

/**
 * An example's rule packs with its cfn-guard validator (`ExpectedExemptions.filter` over the plain
 * one) replaced by `ExpectedExemptions.filter(new ControlTowerGuard())`: the same findings, less CPU.
 */
export function withControlTowerGuard(packs: IPolicyValidationPlugin[]): IPolicyValidationPlugin[] {
  return packs.map((p) => (p.name === 'cdk-validator-cfnguard' ? ExpectedExemptions.filter(new ControlTowerGuard()) : p));
}

/**
 * The validator's props for the Control Tower rules that can apply to these templates: every rule
 * file that names a resource type the templates have. cfn-guard evaluates each rule file against
 * each whole template, so a run costs (rule files × template size) — most of a suite's time. A rule
 * file selects resources by their `Type`, so one whose types are all absent finds nothing; skipping
 * it changes no finding (test/kit/compliance.test.ts compares both on the example apps). A rule file
 * that names no concrete type always runs.
 */
export function controlTowerRulesFor(templatePaths: readonly string[]): CfnGuardValidatorProps {
  if (!controlTowerRuleTypes) {
    controlTowerRuleTypes = new Map();
    for (const f of fs.readdirSync(CONTROL_TOWER_RULES, { recursive: true }).map(String).filter((x) => x.endsWith('.guard')).sort()) {
      const file = path.join(CONTROL_TOWER_RULES, f);
      controlTowerRuleTypes.set(file, new Set(fs.readFileSync(file, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? []));
    }
  }
  const present = new Set<string>();
  for (const t of templatePaths) {
    const resources = JSON.parse(fs.readFileSync(t, 'utf8')).Resources ?? {};
    for (const r of Object.values(resources) as Array<{ Type?: string }>) if (r.Type) present.add(r.Type);
  }
  const rules = [...controlTowerRuleTypes].filter(([, types]) => types.size === 0 || [...types].some((x) => present.has(x))).map(([f]) => f);
  // cfn-guard needs at least one rule: with none applicable, one rule file that reports nothing on these templates
  return { controlTowerRulesEnabled: false, rules: rules.length > 0 ? rules : [[...controlTowerRuleTypes.keys()][0]] };
}
