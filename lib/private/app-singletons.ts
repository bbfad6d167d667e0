import { IConstruct } from 'constructs';

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
