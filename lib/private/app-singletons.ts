import { attachCustomSynthesis, ISynthesisSession } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * Constructs an app holds once (the privacy inventory), created on first use by constructs of a
 * lower layer that must not import them. The higher layer provides the factory when its module
 * loads; the lower one calls `ensureAppSingletons`. The singleton finds what it needs by walking
 * the construct tree at synth, so nothing is registered with it.
 */
const factories = new Map<string, (scope: IConstruct) => void>();

/** Provide the factory of an app singleton (idempotent per name). */
export function provideAppSingleton(name: string, ensure: (scope: IConstruct) => void): void {
  factories.set(name, ensure);
}

/** Create every provided app singleton in the app of `scope` unless it exists. */
export function ensureAppSingletons(scope: IConstruct): void {
  for (const ensure of factories.values()) {
    ensure(scope);
  }
}

/**
 * The app-wide construct `id` at the root of `scope`'s tree: the existing child when `isOne` says
 * it is one, else `create(root, id)`.
 */
export function rootChild<T extends IConstruct>(
  scope: IConstruct, id: string, isOne: (c: IConstruct) => c is T, create: (root: Construct, id: string) => T,
): T {
  const root = scope.node.root as Construct;
  const existing = root.node.tryFindChild(id);
  return existing && isOne(existing) ? existing : create(root, id);
}

/** Makes `cdk synth` call `write` with the cloud assembly's folder (files an app-wide construct writes). */
export function writeAtSynth(construct: IConstruct, write: (outdir: string) => void): void {
  attachCustomSynthesis(construct, { onSynthesize: (session: ISynthesisSession) => write(session.outdir) });
}
