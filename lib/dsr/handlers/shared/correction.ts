import type { StoreStepState } from './model';

/** What a CORRECT request did in one store: attribute names and counts, refusals with reasons; never a value. */
export interface StoreCorrectionOutcome {
  /** The store's construct path. */
  readonly store: string;
  /** attribute -> records changed. */
  readonly corrected: Record<string, number>;
  /** Attributes not corrected in this store, and why. */
  readonly refused: Array<{ readonly attribute: string; readonly reason: string }>;
  /** Set when the workflow does not correct this store at all (e.g. documents in S3): why. */
  readonly notCorrectable?: string;
}

/** The answer to a CORRECT request, per store (kept in the ledger; STATUS returns it). */
export interface CorrectionOutcome {
  readonly stores: StoreCorrectionOutcome[];
}

/** The outcome of a CORRECT from the stores' final StoreStep states (`store` already the construct path). */
export function correctionOutcome(results: ReadonlyArray<Pick<StoreStepState, 'store' | 'refused' | 'correction' | 'notCorrectable'>>): CorrectionOutcome {
  return {
    stores: results.map((r) => ({
      store: r.store,
      corrected: { ...(r.correction?.changed ?? {}) },
      refused: [...(r.refused ?? [])],
      ...(r.notCorrectable !== undefined ? { notCorrectable: r.notCorrectable } : {}),
    })),
  };
}
