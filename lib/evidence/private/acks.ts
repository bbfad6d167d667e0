import { Annotations, AspectPriority, Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { acknowledgeAll, HIPAA_NIST_PACKS, HIPAA_NIST_PCI_PACKS, packRuleIds } from '../../private/acknowledgements';
import { CFN_GUARD_PLUGIN, expectExemption } from '../../private/expected-exemptions';

/**
 * Acknowledge one finding id on `scope`. aws-cdk-lib's `Validations.acknowledge` refuses an id
 * with more than one `::` (granular cdk-nag ids naming `arn:<AWS::Partition>:...` or
 * `arn:...:s3:::...`); those are recorded in the same metadata `acknowledge` writes.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/** The id aws-cdk-lib gives the provider function every AwsCustomResource of a stack shares. */
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/**
 * The findings on an AwsCustomResource's own policy and on aws-cdk-lib's provider function (one
 * per stack, invoked by CloudFormation only), answered by design. The provider's are answered only
 * while every AwsCustomResource of the stack is the library's (see `acknowledgeSharedSingleton`).
 * `wildcardResource` is the policy's wildcard resource as cdk-nag names it.
 */
export function acknowledgeCustomResourceProvider(resource: cr.AwsCustomResource, wildcardResource: string, why: string): void {
  const policy = resource.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy) {
    acknowledgeAll(policy, packRuleIds(HIPAA_NIST_PCI_PACKS, 'IAMNoInlinePolicy'),
      'The policy of one AwsCustomResource, deployed and deleted with it; aws-cdk-lib attaches it to the provider function\'s role.');
    acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${wildcardResource}]`, `${why}.`);
  }
  const stack = Stack.of(resource);
  acknowledgeSharedSingleton(resource, PROVIDER_ID, {
    what: 'aws-cdk-lib\'s AwsCustomResource provider function',
    find: () => stack.node.tryFindChild(PROVIDER_ID),
    uses: (c) => c instanceof cr.AwsCustomResource,
    acknowledge: acknowledgeProvider,
  });
}

function acknowledgeProvider(provider: IConstruct): void {
  const fn = provider.node.defaultChild;
  if (!fn) return;
  const reason = 'aws-cdk-lib\'s AwsCustomResource provider, invoked by CloudFormation only at deploy time to make one AWS API call';
  acknowledgeAll(fn, ['AwsSolutions-L1'], `${reason}; its runtime is set by aws-cdk-lib and moves with it.`);
  acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaDLQ'), `${reason}; CloudFormation invokes it synchronously and fails the deployment on error, so a dead-letter queue would never receive anything.`);
  acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PACKS, 'LambdaConcurrency'), `${reason}; one invocation per deployment, so reserving concurrency would only take it from the account's unreserved pool.`);
  acknowledgeAll(fn, packRuleIds(HIPAA_NIST_PCI_PACKS, 'LambdaInsideVPC'), `${reason}; it calls an AWS control-plane API and handles no personal data.`);
  expectExemption(fn, CFN_GUARD_PLUGIN, 'lambda_inside_vpc_check', `${reason}; it calls an AWS control-plane API and handles no personal data.`);
  const role = provider.node.tryFindChild('ServiceRole')?.node.defaultChild;
  if (role) {
    acknowledgeFinding(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${reason}; aws-cdk-lib gives its role the managed policy that lets it write its own logs.`);
  }
}

/** An aws-cdk-lib singleton (one construct at the stack root) that every user of a kind in the stack shares. */
export interface SharedSingleton {
  /** What it is, for the warning (e.g. `aws-cdk-lib's AwsCustomResource provider function`). */
  readonly what: string;
  /** The singleton, looked up at synth. */
  readonly find: () => IConstruct | undefined;
  /** Whether a construct of the stack uses the singleton. */
  readonly uses: (c: IConstruct) => boolean;
  /** Acknowledges the singleton's findings (called at synth, only while the library is its only user). */
  readonly acknowledge: (singleton: IConstruct) => void;
  /** Called at synth instead of `acknowledge` when the app shares the singleton; `appUsers` are its users the library did not create. */
  readonly whenShared?: (singleton: IConstruct, appUsers: readonly IConstruct[]) => void;
}

/** The constructs the library created that use a shared singleton. */
const LIBRARY_USERS = new WeakSet<IConstruct>();
/** Per stack: the singletons the library uses, by key, with every registration. */
const SINGLETONS = new WeakMap<Stack, Map<string, SharedSingleton[]>>();

/**
 * `user`, created by the library, uses an aws-cdk-lib singleton shared by every user of a kind in
 * its stack. At synth, once the tree is complete (an aspect of the stack, before validation
 * plugins run), `singleton.acknowledge` answers its findings if every user in the stack is the
 * library's; otherwise nothing is recorded on it and a warning names the app's users, whose
 * findings on the shared singleton are the app's to answer.
 */
export function acknowledgeSharedSingleton(user: IConstruct, key: string, singleton: SharedSingleton): void {
  LIBRARY_USERS.add(user);
  const stack = Stack.of(user);
  let byKey = SINGLETONS.get(stack);
  if (!byKey) {
    const registered = new Map<string, SharedSingleton[]>();
    byKey = registered;
    SINGLETONS.set(stack, registered);
    Aspects.of(stack).add(new (class implements IAspect {
      public visit(node: IConstruct): void {
        if (node === stack) decideSharedSingletons(stack, registered);
      }
    })(), { priority: AspectPriority.MUTATING });
  }
  byKey.set(key, [...(byKey.get(key) ?? []), singleton]);
}

function decideSharedSingletons(stack: Stack, byKey: ReadonlyMap<string, readonly SharedSingleton[]>): void {
  const all = stack.node.findAll().filter((c) => Stack.of(c) === stack);
  for (const registrations of byKey.values()) {
    const first = registrations[0];
    const singleton = first.find();
    if (!singleton) continue;
    const appUsers = all.filter((c) => registrations.some((r) => r.uses(c)) && !LIBRARY_USERS.has(c));
    if (appUsers.length === 0) {
      // once per distinct callback: two users of the provider record its acknowledgements once
      for (const acknowledge of new Set(registrations.map((r) => r.acknowledge))) acknowledge(singleton);
      continue;
    }
    for (const r of registrations) r.whenShared?.(singleton, appUsers);
    Annotations.of(singleton).addWarningV2('cdk-ccpa:SharedProviderNotAcknowledged',
      `${first.what} ${singleton.node.path} is shared by cdk-ccpa constructs and by ${appUsers.map((u) => u.node.path).join(', ')}, which cdk-ccpa did not create; ` +
      'cdk-ccpa acknowledges none of its findings and records no expected exemption on it: its findings are the app\'s to answer (acknowledge them on it with the app\'s own reasons, or give the app\'s constructs their own function).');
  }
}
