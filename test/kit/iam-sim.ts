/**
 * IAM simulation test kit on `@cloud-copilot/iam-simulate` (AGPL: test-only, never imported by lib/).
 *
 * Evaluates identity policies, resource policies (bucket policy, DynamoDB resource policy) and KMS key
 * policies TAKEN FROM A SYNTHESIZED TEMPLATE, after resolving CloudFormation intrinsics with a fixed
 * account / region / partition, for principals from the template (a role's tags and attached policies)
 * or ad-hoc principals (account root, an external role with tags and an identity policy, a service).
 *
 * Facts about the simulator that shape this kit (iam-simulate 0.1.173):
 * - It derives NO context keys from the principal: `aws:PrincipalArn`, `aws:PrincipalAccount`,
 *   `aws:PrincipalTag/*`, `aws:PrincipalType`, `aws:PrincipalIsAWSService`, `kms:CallerAccount`, … are
 *   absent unless supplied. The kit fills them in (see `SimDecision.context`).
 * - It silently DROPS context keys that the Service Authorization Reference does not list for the
 *   action/resource type (returned as `ignoredContextKeys`); a condition on a dropped key then fails to
 *   match. The kit throws when a key the TEST supplied is dropped (typo or wrong action), unless
 *   `allowIgnoredContextKeys` is set.
 * - `kms:EncryptionContext:<key>` keys are always dropped by the validated engine (its variable-key
 *   matching only understands `/`, as in `aws:PrincipalTag/<key>`). For those, the kit re-runs the
 *   request on `runUnsafeSimulation` (no key filtering) after the validated run has checked the
 *   policies; `SimDecision.engine` says which engine decided.
 * - Role principals are simulated as an assumed-role session `arn:aws:sts::<acct>:assumed-role/<name>/<session>`,
 *   which is what AWS sees; a policy naming the role ARN matches the session (SessionRoleMatch).
 * - KMS key policies are authoritative: an identity policy alone (even `kms:*` on `*`) is not enough
 *   unless the key policy trusts the account (`arn:aws:iam::<acct>:root`).
 */
import { createHash } from 'crypto';
import {
  isConditionKeyArray,
  RequestAnalysis,
  runSimulation,
  runUnsafeSimulation,
  Simulation,
  SimulationIdentityPolicy,
  typeForContextKey,
} from '@cloud-copilot/iam-simulate';
import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as found in a synthesized template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

/** The parts of a synthesized template the simulator reads. */
export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** An IAM policy document (JSON). */
export interface PolicyDocumentJson {
  readonly Version?: string;
  readonly Statement: unknown;
  readonly Id?: string;
}

/** Fixed environment used to resolve pseudo parameters and to build ARNs. */
export interface SimEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
}

/** Defaults: account 111111111111, us-east-1, partition aws. */
export const DEFAULT_SIM_ENV: SimEnvironment = {
  account: '111111111111',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  stackName: 'TestStack',
};

/** Values for things the kit cannot derive: `Ref`/`Fn::GetAtt` of unsupported types, imports, AWS managed policies. */
export interface SimOverrides {
  /** logical id -> value of `Ref` and of `Fn::GetAtt` attributes. */
  readonly resources?: Record<string, { readonly ref?: string; readonly attributes?: Record<string, string> }>;
  /** `Fn::ImportValue` export name -> value. */
  readonly imports?: Record<string, string>;
  /** template parameter -> value (default: the parameter's Default). */
  readonly parameters?: Record<string, string>;
  /** managed policy ARN (e.g. an AWS managed policy) -> document. Unknown ARNs are skipped and listed in the decision. */
  readonly managedPolicies?: Record<string, PolicyDocumentJson>;
}

/** Options of `IamSimulator.fromStack` / `fromTemplate`. */
export interface IamSimulatorOptions {
  readonly env?: Partial<SimEnvironment>;
  readonly overrides?: SimOverrides;
  /**
   * Service control policies that apply to the principal's account, evaluated as one level of the
   * organization under `FullAWSAccess` (so only their Deny statements change a decision).
   * @default - none: SCPs are not evaluated
   */
  readonly scps?: PolicyDocumentJson[];
}

/** A role of the template; its tags and attached policies come from the template. */
export interface TemplateRolePrincipal {
  readonly kind: 'templateRole';
  readonly logicalId: string;
  /** Session tags; they override role tags with the same key. */
  readonly sessionTags?: Record<string, string>;
  /** Extra principal tags (as if added to the role). */
  readonly extraTags?: Record<string, string>;
  /** @default 'iam-sim' */
  readonly sessionName?: string;
  /** Additional identity policies (e.g. a policy another stack attaches). */
  readonly extraIdentityPolicies?: PolicyDocumentJson[];
}

/** A principal that is not in the template: `arn:aws:iam::<acct>:root`, `...:role/<name>`, `...:user/<name>`. */
export interface ArnPrincipal {
  readonly kind: 'arn';
  readonly arn: string;
  /** Principal tags (role/user tags plus session tags). */
  readonly tags?: Record<string, string>;
  /**
   * Identity policies of the principal.
   * @default - none; for an account root `Allow *:*` (the root user is not limited by identity policies)
   */
  readonly identityPolicies?: PolicyDocumentJson[];
  /** @default 'iam-sim' */
  readonly sessionName?: string;
}

/** An AWS service principal (e.g. `cloudtrail.amazonaws.com`); pass `aws:SourceArn` / `aws:SourceAccount` in `context`. */
export interface ServicePrincipal {
  readonly kind: 'service';
  readonly service: string;
}

/** Who makes the request. */
export type SimPrincipal = TemplateRolePrincipal | ArnPrincipal | ServicePrincipal;

/** A resource of the template, optionally a sub-resource: an object key, a table index or the table stream. */
export interface TemplateResourceRef {
  readonly logicalId: string;
  /** S3 object key below the bucket (gives `arn:...:::bucket/<objectKey>`). */
  readonly objectKey?: string;
  /** DynamoDB index name (gives `<tableArn>/index/<index>`). */
  readonly index?: string;
  /** DynamoDB stream of the table. */
  readonly stream?: boolean;
}

/** One request to simulate. */
export interface SimRequest {
  readonly principal: SimPrincipal;
  readonly action: string;
  /** An ARN, or a resource of the template. */
  readonly resource: string | TemplateResourceRef;
  /** Request context; overrides the keys the kit derives. */
  readonly context?: Record<string, string | string[]>;
  /** Derived context keys to leave out (e.g. `aws:SecureTransport`). */
  readonly omitContextKeys?: string[];
  /** Resource policy to use instead of the one found in the template; `null` for none. */
  readonly resourcePolicy?: PolicyDocumentJson | null;
  /** Do not throw when the simulator drops a context key the test supplied. @default false */
  readonly allowIgnoredContextKeys?: boolean;
  /** Service control policies for this request instead of the simulator's `scps` option; `[]` for none. */
  readonly scps?: PolicyDocumentJson[];
  /**
   * Whether the S3 bucket has ABAC enabled (`PutBucketAbac`). Only then does S3 put the bucket's
   * tags in `aws:ResourceTag/*`; without it a condition on them sees no key.
   * @default false - S3's default
   */
  readonly s3BucketAbacEnabled?: boolean;
}

/** Result of one simulation. */
export type SimResult = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** The decision and everything that went into it. */
export interface SimDecision {
  readonly result: SimResult;
  /** The request principal given to the simulator (assumed-role session ARN for roles). */
  readonly principal: string;
  readonly action: string;
  readonly resourceArn: string;
  /** The full context sent to the simulator. */
  readonly context: Record<string, string | string[]>;
  /** Context keys the simulator dropped as not applicable to the action/resource. */
  readonly ignoredContextKeys: string[];
  /** Names of the identity policies evaluated (`<logicalId>` or `<role>/<PolicyName>`). */
  readonly identityPolicyNames: string[];
  /** Managed policy ARNs attached to the role that could not be resolved and were NOT evaluated. */
  readonly skippedManagedPolicies: string[];
  /** Where the resource policy came from: a logical id, 'request', or undefined for none. */
  readonly resourcePolicySource?: string;
  /** 'validated' = runSimulation; 'unsafe' = runUnsafeSimulation re-run for kms:EncryptionContext keys. */
  readonly engine: 'validated' | 'unsafe';
  /** The simulator's analysis (validated engine only). */
  readonly analysis?: RequestAnalysis;
}

/** A principal from the template: `templateRole('ReaderRole', { sessionTags: { tenant: 'a' } })`. */
export function templateRole(logicalId: string, opts: Omit<TemplateRolePrincipal, 'kind' | 'logicalId'> = {}): TemplateRolePrincipal {
  return { kind: 'templateRole', logicalId, ...opts };
}

/** An ad-hoc principal by ARN: `arnPrincipal('arn:aws:iam::222222222222:role/Ext', { tags, identityPolicies })`. */
export function arnPrincipal(arn: string, opts: Omit<ArnPrincipal, 'kind' | 'arn'> = {}): ArnPrincipal {
  return { kind: 'arn', arn, ...opts };
}

/** The root of an account (default: the simulator's account is filled in by `IamSimulator.root()`). */
export function accountRoot(account: string, partition = 'aws'): ArnPrincipal {
  return arnPrincipal(`arn:${partition}:iam::${account}:root`);
}

/** A service principal: `servicePrincipal('cloudtrail.amazonaws.com')`. */
export function servicePrincipal(service: string): ServicePrincipal {
  return { kind: 'service', service };
}

/** A policy allowing `actions` on `resources` (for ad-hoc identity policies). */
export function allowPolicy(actions: string | string[], resources: string | string[] = '*'): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}

/** Thrown when a template value cannot be resolved; name the value in `SimOverrides` to proceed. */
export class UnresolvableError extends Error {}

/**
 * Simulates IAM requests against the policies of one synthesized template.
 * Construction is cheap; resolution is lazy and cached, simulations take well under a millisecond each.
 */
export class IamSimulator {
  /** Synthesizes `stack` (via `Template.fromStack`) and uses its account/region/name when they are concrete. */
  public static fromStack(stack: Stack, options: IamSimulatorOptions = {}): IamSimulator {
    const concrete = (v: string): string | undefined => (Token.isUnresolved(v) ? undefined : v);
    const env: Partial<SimEnvironment> = {
      ...(concrete(stack.account) ? { account: stack.account } : {}),
      ...(concrete(stack.region) ? { region: stack.region } : {}),
      stackName: stack.stackName,
      ...options.env,
    };
    return new IamSimulator(Template.fromStack(stack).toJSON() as CfnTemplateJson, { ...options, env });
  }

  /** Uses a template object (e.g. `Template.fromStack(stack).toJSON()` or a JSON fixture). */
  public static fromTemplate(template: CfnTemplateJson | Record<string, unknown>, options: IamSimulatorOptions = {}): IamSimulator {
    return new IamSimulator(template as CfnTemplateJson, options);
  }

  public readonly env: SimEnvironment;
  private readonly resources: Record<string, CfnResourceJson>;
  private readonly overrides: SimOverrides;
  private readonly scps: PolicyDocumentJson[];
  private readonly cache = new Map<string, unknown>();

  private constructor(private readonly template: CfnTemplateJson, options: IamSimulatorOptions) {
    this.env = { ...DEFAULT_SIM_ENV, ...options.env };
    this.resources = template.Resources ?? {};
    this.overrides = options.overrides ?? {};
    this.scps = options.scps ?? [];
  }

  /** The account root of the simulator's account (identity policies: Allow *, as the root user). */
  public root(): ArnPrincipal {
    return accountRoot(this.env.account, this.env.partition);
  }

  /** Resolves every CloudFormation intrinsic in `value` (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If, …). */
  public resolve(value: unknown): unknown {
    const r = this.resolveValue(value);
    return r === NO_VALUE ? undefined : r;
  }

  /** The value of `{ Ref: logicalId }`. */
  public ref(logicalId: string): string {
    return this.refOf(logicalId);
  }

  /** The value of `{ 'Fn::GetAtt': [logicalId, attribute] }`. */
  public getAtt(logicalId: string, attribute: string): string {
    return this.attOf(logicalId, attribute);
  }

  /** The ARN of a template resource (`Fn::GetAtt X.Arn`, or `Ref` where Ref is the ARN). */
  public arnOf(ref: string | TemplateResourceRef): string {
    const r: TemplateResourceRef = typeof ref === 'string' ? { logicalId: ref } : ref;
    const res = this.resource(r.logicalId);
    let arn: string;
    switch (res.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
        arn = this.refOf(r.logicalId);
        break;
      case 'AWS::Backup::BackupVault':
        arn = this.attOf(r.logicalId, 'BackupVaultArn');
        break;
      default:
        arn = this.attOf(r.logicalId, 'Arn');
    }
    if (r.objectKey !== undefined) arn = `${arn}/${r.objectKey}`;
    if (r.index !== undefined) arn = `${arn}/index/${r.index}`;
    if (r.stream) arn = this.attOf(r.logicalId, 'StreamArn');
    return arn;
  }

  /** Tags of a template resource (`Properties.Tags` as a list of Key/Value, or a map). */
  public tagsOf(logicalId: string): Record<string, string> {
    const tags = this.resolve(this.resource(logicalId).Properties?.Tags);
    const out: Record<string, string> = {};
    if (Array.isArray(tags)) {
      for (const t of tags as Array<{ Key: string; Value: string }>) out[t.Key] = String(t.Value);
    } else if (tags && typeof tags === 'object') {
      for (const [k, v] of Object.entries(tags)) out[k] = String(v);
    }
    return out;
  }

  /**
   * Identity policies attached to a role of the template: inline `Policies`, `AWS::IAM::Policy` and
   * `AWS::IAM::ManagedPolicy` resources whose `Roles` name it, and `ManagedPolicyArns` that are template
   * managed policies or given in `overrides.managedPolicies` (others are listed in `skipped`).
   */
  public identityPoliciesOf(roleLogicalId: string): { policies: SimulationIdentityPolicy[]; skipped: string[] } {
    return this.cached(`identity:${roleLogicalId}`, () => this.collectIdentityPolicies(roleLogicalId));
  }

  private collectIdentityPolicies(roleLogicalId: string): { policies: SimulationIdentityPolicy[]; skipped: string[] } {
    const role = this.resource(roleLogicalId);
    if (role.Type !== 'AWS::IAM::Role') throw new Error(`iam-sim: '${roleLogicalId}' is a ${role.Type}, not an AWS::IAM::Role`);
    const roleName = this.refOf(roleLogicalId);
    const policies: SimulationIdentityPolicy[] = [];
    const skipped: string[] = [];
    const props = role.Properties ?? {};
    for (const p of (this.resolve(props.Policies) as Array<{ PolicyName: string; PolicyDocument: PolicyDocumentJson }> | undefined) ?? []) {
      policies.push({ name: `${roleLogicalId}/${p.PolicyName}`, policy: p.PolicyDocument });
    }
    const managedByArn = new Map<string, string>();
    for (const [id, res] of Object.entries(this.resources)) {
      if (!this.conditionHolds(res.Condition)) continue;
      if (res.Type === 'AWS::IAM::ManagedPolicy') managedByArn.set(this.refOf(id), id);
      if (res.Type !== 'AWS::IAM::Policy' && res.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const roles = (this.resolve(res.Properties?.Roles) as string[] | undefined) ?? [];
      if (roles.includes(roleName)) {
        policies.push({ name: id, policy: this.resolve(res.Properties?.PolicyDocument) });
      }
    }
    for (const arn of (this.resolve(props.ManagedPolicyArns) as string[] | undefined) ?? []) {
      const local = managedByArn.get(arn);
      if (local) {
        if (!policies.some((p) => p.name === local)) {
          policies.push({ name: local, policy: this.resolve(this.resource(local).Properties?.PolicyDocument) });
        }
      } else if (this.overrides.managedPolicies?.[arn]) {
        policies.push({ name: arn, policy: this.overrides.managedPolicies[arn] });
      } else {
        skipped.push(arn);
      }
    }
    return { policies, skipped };
  }

  /** The resource policy that governs `arn`: KMS key policy, S3 bucket policy, DynamoDB table/stream resource policy. */
  public resourcePolicyFor(arn: string): { logicalId: string; policy: PolicyDocumentJson } | undefined {
    return this.cached(`policy:${arn}`, () => this.findResourcePolicy(arn));
  }

  private findResourcePolicy(arn: string): { logicalId: string; policy: PolicyDocumentJson } | undefined {
    for (const [id, res] of Object.entries(this.resources)) {
      if (!this.conditionHolds(res.Condition)) continue;
      switch (res.Type) {
        case 'AWS::KMS::Key':
          if (this.attOf(id, 'Arn') === arn) return { logicalId: id, policy: this.resolve(res.Properties?.KeyPolicy) as PolicyDocumentJson };
          break;
        case 'AWS::S3::BucketPolicy': {
          const bucketArn = `arn:${this.env.partition}:s3:::${this.resolve(res.Properties?.Bucket) as string}`;
          if (arn === bucketArn || arn.startsWith(bucketArn + '/')) {
            return { logicalId: id, policy: this.resolve(res.Properties?.PolicyDocument) as PolicyDocumentJson };
          }
          break;
        }
        case 'AWS::DynamoDB::Table': {
          const tableArn = this.attOf(id, 'Arn');
          if (arn.startsWith(tableArn + '/stream/')) {
            const doc = this.resolve((res.Properties?.StreamSpecification as Record<string, unknown> | undefined)?.ResourcePolicy);
            return doc ? { logicalId: id, policy: (doc as { PolicyDocument: PolicyDocumentJson }).PolicyDocument } : undefined;
          }
          if (arn === tableArn || arn.startsWith(tableArn + '/index/')) {
            const doc = this.resolve(res.Properties?.ResourcePolicy);
            return doc ? { logicalId: id, policy: (doc as { PolicyDocument: PolicyDocumentJson }).PolicyDocument } : undefined;
          }
          break;
        }
        default:
      }
    }
    return undefined;
  }

  /** Runs one simulation. Throws on simulator input errors and on dropped test-supplied context keys. */
  public async simulate(req: SimRequest): Promise<SimDecision> {
    const resourceArn = typeof req.resource === 'string' ? req.resource : this.arnOf(req.resource);
    const p = this.principalOf(req.principal);
    const resourceAccount = accountOfArn(resourceArn) ?? this.env.account;
    const service = req.action.split(':')[0].toLowerCase();

    // Derived context: what AWS would put in the request context for this principal.
    const derived: Record<string, string | string[]> = {
      'aws:SecureTransport': 'true',
      'aws:RequestedRegion': this.env.region,
      'aws:ResourceAccount': resourceAccount,
      ...p.context,
    };
    if (service === 'kms' && p.account) derived['kms:CallerAccount'] = p.account;
    if (p.account) derived['aws:ViaAWSService'] = req.context?.['kms:ViaService'] !== undefined ? 'true' : 'false';
    const owner = this.ownerOf(resourceArn);
    if (owner) for (const [k, v] of Object.entries(this.tagsOf(owner))) derived[`aws:ResourceTag/${k}`] = v;
    for (const k of req.omitContextKeys ?? []) delete derived[k];
    const context: Record<string, string | string[]> = { ...derived, ...(req.context ?? {}) };

    let resourcePolicy: PolicyDocumentJson | undefined;
    let resourcePolicySource: string | undefined;
    if (req.resourcePolicy !== undefined) {
      resourcePolicy = req.resourcePolicy ?? undefined;
      resourcePolicySource = req.resourcePolicy ? 'request' : undefined;
    } else {
      const found = this.resourcePolicyFor(resourceArn);
      resourcePolicy = found?.policy;
      resourcePolicySource = found?.logicalId;
    }

    const simulation: Simulation = {
      request: {
        principal: p.principal,
        action: req.action,
        resource: { resource: resourceArn, accountId: resourceAccount },
        contextVariables: context,
      },
      identityPolicies: p.identityPolicies,
      serviceControlPolicies: scpLevels(req.scps ?? this.scps),
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      ...(req.s3BucketAbacEnabled ? { additionalSettings: { s3: { bucketAbacEnabled: true } } } : {}),
    };
    const res = await runSimulation(simulation, {});
    if (res.resultType === 'error') {
      throw new Error(`iam-sim: simulator refused the request (${res.errors.message}): ${JSON.stringify(res.errors, undefined, 2)}`);
    }
    if (res.resultType !== 'single') {
      throw new Error(`iam-sim: resource '${resourceArn}' contains a wildcard; simulate one concrete resource`);
    }
    const ignored = res.result.ignoredContextKeys ?? [];
    const supplied = new Set(Object.keys(req.context ?? {}));
    const encryptionContext = ignored.filter((k) => /^kms:encryptioncontext:/i.test(k) && supplied.has(k));
    const droppedSupplied = ignored.filter((k) => supplied.has(k) && !encryptionContext.includes(k));
    if (droppedSupplied.length > 0 && !req.allowIgnoredContextKeys) {
      throw new Error(
        `iam-sim: the simulator ignores context key(s) ${droppedSupplied.join(', ')} for ${req.action} on ${resourceArn} ` +
        '(not listed for this action/resource type in the Service Authorization Reference); a condition on them cannot match. ' +
        'Fix the key or action, or pass allowIgnoredContextKeys: true.',
      );
    }
    const base = {
      principal: typeof p.principal === 'string' ? p.principal : 'anonymous',
      action: req.action,
      resourceArn,
      context,
      ignoredContextKeys: ignored,
      identityPolicyNames: p.identityPolicies.map((x) => x.name),
      skippedManagedPolicies: p.skipped,
      ...(resourcePolicySource ? { resourcePolicySource } : {}),
    };
    if (encryptionContext.length === 0) {
      return { ...base, result: res.overallResult, engine: 'validated', analysis: res.result.analysis };
    }
    // kms:EncryptionContext:* keys: the validated run has checked the policies; decide with the raw context.
    const unsafeContext: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(context)) {
      if (ignored.includes(k) && !encryptionContext.includes(k)) continue;
      unsafeContext[k] = await normalizeValue(k, v);
    }
    const result = runUnsafeSimulation({
      ...simulation,
      request: { ...simulation.request, contextVariables: unsafeContext },
      // The unsafe engine loads the resource policy without a name and then crashes reading it
      // (0.1.173); a pre-validated policy (iam-policy's ValidatedPolicy shape) carries the name.
      ...(resourcePolicy
        ? { resourcePolicy: { __validated: true, policyDocument: resourcePolicy, metadata: { name: resourcePolicySource }, errors: [] } }
        : {}),
    }, {});
    return { ...base, result, engine: 'unsafe' };
  }

  /** Simulates and throws a readable error unless the result is `expected`. Returns the decision. */
  public async expectDecision(req: SimRequest, expected: SimResult): Promise<SimDecision> {
    const d = await this.simulate(req);
    if (d.result !== expected) throw new Error(`iam-sim: expected ${expected}, got ${d.result}\n${describeDecision(d)}`);
    return d;
  }

  // -------------------------------------------------------------------------------------------
  // principals

  private principalOf(p: SimPrincipal): {
    principal: string;
    account?: string;
    identityPolicies: SimulationIdentityPolicy[];
    skipped: string[];
    context: Record<string, string>;
  } {
    const tagContext = (tags: Record<string, string>) =>
      Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]));
    switch (p.kind) {
      case 'templateRole': {
        const roleArn = this.attOf(p.logicalId, 'Arn');
        const { policies, skipped } = this.identityPoliciesOf(p.logicalId);
        const extra = (p.extraIdentityPolicies ?? []).map((policy, i) => ({ name: `extra-${i}`, policy }));
        const tags = mergeTagsIgnoringCase(this.tagsOf(p.logicalId), p.extraTags ?? {}, p.sessionTags ?? {});
        return {
          principal: sessionArnOf(roleArn, p.sessionName ?? 'iam-sim'),
          account: this.env.account,
          identityPolicies: [...policies, ...extra],
          skipped,
          context: {
            'aws:PrincipalArn': roleArn,
            'aws:PrincipalAccount': this.env.account,
            'aws:PrincipalType': 'AssumedRole',
            'aws:PrincipalIsAWSService': 'false',
            ...tagContext(tags),
          },
        };
      }
      case 'arn': {
        const account = accountOfArn(p.arn);
        if (!account) throw new Error(`iam-sim: cannot read the account of principal '${p.arn}'`);
        const isRoot = /:root$/.test(p.arn);
        const isRole = /^arn:[^:]+:iam::\d{12}:role\//.test(p.arn);
        const identity = p.identityPolicies ?? (isRoot ? [allowPolicy('*', '*')] : []);
        return {
          principal: isRole ? sessionArnOf(p.arn, p.sessionName ?? 'iam-sim') : p.arn,
          account,
          identityPolicies: identity.map((policy, i) => ({ name: `${p.arn}#${i}`, policy })),
          skipped: [],
          context: {
            'aws:PrincipalArn': p.arn,
            'aws:PrincipalAccount': account,
            'aws:PrincipalType': isRoot ? 'Account' : isRole ? 'AssumedRole' : 'User',
            'aws:PrincipalIsAWSService': 'false',
            ...tagContext(p.tags ?? {}),
          },
        };
      }
      case 'service':
        return {
          principal: p.service,
          identityPolicies: [],
          skipped: [],
          context: { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': p.service },
        };
    }
  }

  /** Logical id of the template resource that owns `arn` (for resource tags), if any. */
  private ownerOf(arn: string): string | undefined {
    return this.cached(`owner:${arn}`, () => this.findOwner(arn));
  }

  private findOwner(arn: string): string | undefined {
    for (const [id, res] of Object.entries(this.resources)) {
      if (!SUPPORTED_ARN_TYPES.has(res.Type)) continue;
      try {
        const own = this.arnOf(id);
        if (arn === own || (res.Type !== 'AWS::KMS::Key' && res.Type !== 'AWS::IAM::Role' && arn.startsWith(own + '/'))) return id;
      } catch (e) {
        if (!(e instanceof UnresolvableError)) throw e;
      }
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // intrinsics

  private resource(logicalId: string): CfnResourceJson {
    const r = this.resources[logicalId];
    if (!r) throw new Error(`iam-sim: no resource '${logicalId}' in the template (have: ${Object.keys(this.resources).join(', ')})`);
    return r;
  }

  private resolveValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref': return this.refOf(arg as string);
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return this.attOf(id, attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolveValue(parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Sub': return this.sub(arg);
        case 'Fn::Select': {
          const [i, list] = arg as [unknown, unknown];
          return (this.resolveValue(list) as unknown[])[Number(this.resolveValue(i))];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, unknown];
          return String(this.resolveValue(s)).split(sep);
        }
        case 'Fn::If': {
          const [cond, a, b] = arg as [string, unknown, unknown];
          return this.resolveValue(this.conditionHolds(cond) ? a : b);
        }
        case 'Fn::FindInMap': {
          const [m, k1, k2] = (this.resolveValue(arg) as string[]);
          const v = this.template.Mappings?.[m]?.[k1]?.[k2];
          if (v === undefined) throw new UnresolvableError(`iam-sim: Fn::FindInMap ${m}.${k1}.${k2} not found`);
          return v;
        }
        case 'Fn::ImportValue': {
          const name = String(this.resolveValue(arg));
          const v = this.overrides.imports?.[name];
          if (v === undefined) throw new UnresolvableError(`iam-sim: Fn::ImportValue '${name}': give its value in overrides.imports`);
          return v;
        }
        case 'Fn::Base64': return this.resolveValue(arg);
        case 'Fn::GetAZs': return ['a', 'b', 'c'].map((z) => `${this.env.region}${z}`);
        default:
          if (k.startsWith('Fn::')) throw new UnresolvableError(`iam-sim: intrinsic ${k} is not supported`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const r = this.resolveValue(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
    return text.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return '${' + name.slice(1) + '}';
      if (name in vars) return String(this.resolveValue(vars[name]));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return this.attOf(name.slice(0, dot), name.slice(dot + 1));
      return this.refOf(name);
    });
  }

  private conditionHolds(name: string | undefined): boolean {
    if (name === undefined) return true;
    const def = this.template.Conditions?.[name];
    if (def === undefined) throw new UnresolvableError(`iam-sim: condition '${name}' not found`);
    return this.evalCondition(def);
  }

  private evalCondition(expr: unknown): boolean {
    const obj = expr as Record<string, unknown>;
    const [k] = Object.keys(obj);
    const arg = obj[k] as unknown[];
    switch (k) {
      case 'Fn::Equals': return JSON.stringify(this.resolveValue(arg[0])) === JSON.stringify(this.resolveValue(arg[1]));
      case 'Fn::Not': return !this.evalCondition(arg[0]);
      case 'Fn::And': return arg.every((a) => this.evalCondition(a));
      case 'Fn::Or': return arg.some((a) => this.evalCondition(a));
      case 'Condition': return this.conditionHolds(obj[k] as string);
      default: throw new UnresolvableError(`iam-sim: condition function ${k} is not supported`);
    }
  }

  private refOf(name: string): string {
    switch (name) {
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::Region': return this.env.region;
      case 'AWS::Partition': return this.env.partition;
      case 'AWS::URLSuffix': return this.env.urlSuffix;
      case 'AWS::StackName': return this.env.stackName;
      case 'AWS::StackId': return `arn:${this.env.partition}:cloudformation:${this.env.region}:${this.env.account}:stack/${this.env.stackName}/${uuidOf(this.env.stackName)}`;
      case 'AWS::NoValue': return NO_VALUE as unknown as string;
      default:
    }
    const o = this.overrides.resources?.[name]?.ref;
    if (o !== undefined) return o;
    if (this.overrides.parameters?.[name] !== undefined) return this.overrides.parameters[name];
    const param = this.template.Parameters?.[name];
    if (param) {
      if (param.Default === undefined) throw new UnresolvableError(`iam-sim: parameter '${name}' has no Default: give it in overrides.parameters`);
      return String(param.Default);
    }
    return this.cached(`ref:${name}`, () => {
      const res = this.resource(name);
      const a = this.attributesOf(name, res);
      if (a.ref === undefined) throw new UnresolvableError(`iam-sim: Ref ${name} (${res.Type}) is not supported: give it in overrides.resources`);
      return a.ref;
    });
  }

  private attOf(logicalId: string, attr: string): string {
    const o = this.overrides.resources?.[logicalId]?.attributes?.[attr];
    if (o !== undefined) return o;
    return this.cached(`att:${logicalId}.${attr}`, () => {
      const res = this.resource(logicalId);
      const v = this.attributesOf(logicalId, res).atts[attr];
      if (v === undefined) {
        throw new UnresolvableError(`iam-sim: Fn::GetAtt ${logicalId}.${attr} (${res.Type}) is not supported: give it in overrides.resources`);
      }
      return v;
    });
  }

  private cached<T>(key: string, f: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, f());
    return this.cache.get(key) as T;
  }

  /** Deterministic physical names/ARNs for the supported resource types. */
  private attributesOf(id: string, res: CfnResourceJson): { ref?: string; atts: Record<string, string> } {
    const { partition: p, region: r, account: a, stackName } = this.env;
    const prop = (k: string): string | undefined => {
      const v = res.Properties?.[k];
      return v === undefined ? undefined : String(this.resolveValue(v));
    };
    const generated = (max: number) => `${stackName}-${id}-${hashOf(id, 12).toUpperCase()}`.slice(0, max);
    switch (res.Type) {
      case 'AWS::KMS::Key': {
        const keyId = uuidOf(`${stackName}/${id}`);
        return { ref: keyId, atts: { Arn: `arn:${p}:kms:${r}:${a}:key/${keyId}`, KeyId: keyId } };
      }
      case 'AWS::KMS::Alias': {
        const name = prop('AliasName') ?? `alias/${id}`;
        return { ref: name, atts: {} };
      }
      case 'AWS::S3::Bucket': {
        const name = prop('BucketName') ?? generated(63).toLowerCase();
        return {
          ref: name,
          atts: {
            Arn: `arn:${p}:s3:::${name}`,
            DomainName: `${name}.s3.${this.env.urlSuffix}`,
            RegionalDomainName: `${name}.s3.${r}.${this.env.urlSuffix}`,
            DualStackDomainName: `${name}.s3.dualstack.${r}.${this.env.urlSuffix}`,
            WebsiteURL: `http://${name}.s3-website-${r}.${this.env.urlSuffix}`,
          },
        };
      }
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const name = prop('TableName') ?? generated(255);
        const arn = `arn:${p}:dynamodb:${r}:${a}:table/${name}`;
        return { ref: name, atts: { Arn: arn, StreamArn: `${arn}/stream/2026-01-01T00:00:00.000`, TableId: uuidOf(arn) } };
      }
      case 'AWS::IAM::Role': {
        const name = prop('RoleName') ?? generated(64);
        return { ref: name, atts: { Arn: `arn:${p}:iam::${a}:role${prop('Path') ?? '/'}${name}`, RoleId: `AROA${hashOf(id, 17).toUpperCase()}` } };
      }
      case 'AWS::IAM::ManagedPolicy': {
        const arn = `arn:${p}:iam::${a}:policy${prop('Path') ?? '/'}${prop('ManagedPolicyName') ?? generated(128)}`;
        return { ref: arn, atts: { PolicyArn: arn } };
      }
      case 'AWS::IAM::Policy':
        return { ref: `${stackName}-${id}`, atts: {} };
      case 'AWS::StepFunctions::StateMachine': {
        const name = prop('StateMachineName') ?? `${id}-${hashOf(id, 12)}`;
        const arn = `arn:${p}:states:${r}:${a}:stateMachine:${name}`;
        return { ref: arn, atts: { Arn: arn, Name: name } };
      }
      case 'AWS::Logs::LogGroup': {
        const name = prop('LogGroupName') ?? generated(512);
        return { ref: name, atts: { Arn: `arn:${p}:logs:${r}:${a}:log-group:${name}:*` } };
      }
      case 'AWS::Lambda::Function': {
        const name = prop('FunctionName') ?? generated(64);
        return { ref: name, atts: { Arn: `arn:${p}:lambda:${r}:${a}:function:${name}` } };
      }
      case 'AWS::SQS::Queue': {
        const name = prop('QueueName') ?? generated(80);
        return { ref: `https://sqs.${r}.${this.env.urlSuffix}/${a}/${name}`, atts: { Arn: `arn:${p}:sqs:${r}:${a}:${name}`, QueueName: name } };
      }
      case 'AWS::SNS::Topic': {
        const name = prop('TopicName') ?? generated(256);
        const arn = `arn:${p}:sns:${r}:${a}:${name}`;
        return { ref: arn, atts: { TopicArn: arn, TopicName: name } };
      }
      case 'AWS::CloudTrail::Trail': {
        const name = prop('TrailName') ?? generated(128);
        return { ref: name, atts: { Arn: `arn:${p}:cloudtrail:${r}:${a}:trail/${name}` } };
      }
      case 'AWS::Backup::BackupVault': {
        const name = prop('BackupVaultName') ?? generated(50);
        return { ref: name, atts: { BackupVaultArn: `arn:${p}:backup:${r}:${a}:backup-vault:${name}`, BackupVaultName: name } };
      }
      case 'AWS::Events::EventBus': {
        const name = prop('Name') ?? generated(256);
        return { ref: name, atts: { Arn: `arn:${p}:events:${r}:${a}:event-bus/${name}`, Name: name } };
      }
      case 'AWS::Events::Rule': {
        const name = prop('Name') ?? generated(64);
        return { ref: name, atts: { Arn: `arn:${p}:events:${r}:${a}:rule/${name}` } };
      }
      default:
        return { atts: {} };
    }
  }
}

/** Human-readable summary of a decision: result, principal, context, deciding statements. */
export function describeDecision(d: SimDecision): string {
  const statements = (label: string, list: Array<{ policyId: string; statement: unknown }> | undefined) =>
    (list ?? []).map((s) => `    ${label} ${s.policyId}: ${JSON.stringify(s.statement)}`);
  const a = d.analysis;
  return [
    `  ${d.result} (${d.engine}): ${d.principal} -> ${d.action} on ${d.resourceArn}`,
    `  identity policies: ${d.identityPolicyNames.join(', ') || 'none'}; resource policy: ${d.resourcePolicySource ?? 'none'}`,
    ...(d.skippedManagedPolicies.length ? [`  NOT evaluated (unresolved managed policies): ${d.skippedManagedPolicies.join(', ')}`] : []),
    `  context: ${JSON.stringify(d.context)}`,
    ...(d.ignoredContextKeys.length ? [`  ignored by the simulator: ${d.ignoredContextKeys.join(', ')}`] : []),
    ...(a?.blockedBy?.length ? [`  blocked by: ${a.blockedBy.join(', ')}`] : []),
    ...statements('identity allow', a?.identityAnalysis?.allowStatements),
    ...statements('identity deny ', a?.identityAnalysis?.denyStatements),
    ...statements('resource allow', a?.resourceAnalysis?.allowStatements),
    ...statements('resource deny ', a?.resourceAnalysis?.denyStatements),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// helpers

/** `FullAWSAccess`, the SCP Organizations attaches everywhere by default. */
const FULL_AWS_ACCESS: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The SCPs of a request as one organization level (none when there are no SCPs). */
function scpLevels(scps: PolicyDocumentJson[]): Simulation['serviceControlPolicies'] {
  if (scps.length === 0) return [];
  return [{
    orgIdentifier: 'r-sim',
    policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...scps.map((policy, i) => ({ name: `scp-${i}`, policy }))],
  }];
}

const NO_VALUE = Symbol('AWS::NoValue');

const SUPPORTED_ARN_TYPES = new Set([
  'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::StepFunctions::StateMachine',
  'AWS::Logs::LogGroup', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::CloudTrail::Trail', 'AWS::Backup::BackupVault',
  'AWS::IAM::Role',
]);

function hashOf(s: string, len: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, len);
}

/** A deterministic UUID-shaped id. */
function uuidOf(s: string): string {
  const h = hashOf(s, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 5 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/**
 * Principal tags as IAM sees them: keys are case-insensitive, so a later tag replaces an earlier
 * one whose key differs only in case (a session tag `Privacy:Access` overrides the role's
 * `privacy:access`), keeping the later spelling.
 */
export function mergeTagsIgnoringCase(...layers: Array<Record<string, string>>): Record<string, string> {
  const byLowerKey = new Map<string, [string, string]>();
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) byLowerKey.set(k.toLowerCase(), [k, v]);
  }
  return Object.fromEntries(byLowerKey.values());
}

/** `arn:aws:iam::1:role/path/Name` -> `arn:aws:sts::1:assumed-role/Name/<session>` (the session ARN has no path). */
function sessionArnOf(roleArn: string, session: string): string {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`iam-sim: '${roleArn}' is not a role ARN`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${session}`;
}

/** Single value or list, as the simulator's key type expects (the unsafe engine does not normalize). */
async function normalizeValue(key: string, v: string | string[]): Promise<string | string[]> {
  let type;
  try {
    type = await typeForContextKey(key);
  } catch {
    return v;
  }
  if (isConditionKeyArray(type)) return [v].flat();
  return Array.isArray(v) ? v[0] : v;
}
