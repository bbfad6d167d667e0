import type { StoreConfig } from './model';

/** What an access report states about one store's data (Cal. Civ. Code 1798.110(a)), as the store declares it. */
export interface StoreDisclosure {
  readonly store: string;
  /** Categories of personal information (fideslang-style keys, e.g. `user.contact`). */
  readonly categories: string[];
  /** Categories of sources it is collected from. */
  readonly sources: string[];
  /** Business or commercial purposes it is held for (keys, e.g. `essential.service`). */
  readonly purposes: string[];
  /** Categories of third parties it is disclosed to. */
  readonly recipients: string[];
}

/** The disclosures of an access report: per store, and over all stores; `undeclared` names what no store declares. */
export interface Disclosures {
  readonly categories: string[];
  readonly sources: string[];
  readonly purposes: string[];
  readonly recipients: string[];
  /** The fields no store of the report declares (the business states them in its own response). */
  readonly undeclared: string[];
  readonly byStore: StoreDisclosure[];
}

const FIELDS = ['categories', 'sources', 'purposes', 'recipients'] as const;

/** The disclosures of the stores a report covers (their own declarations, never invented). */
export function disclosuresOf(stores: readonly StoreConfig[]): Disclosures {
  const byStore = stores.map((s) => ({
    store: s.path,
    categories: [...(s.categories ?? [])],
    sources: [...(s.sources ?? [])],
    purposes: [...(s.purposes ?? [])],
    recipients: [...(s.recipients ?? [])],
  }));
  const union = (f: typeof FIELDS[number]) => [...new Set(byStore.flatMap((s) => s[f]))].sort();
  const all = Object.fromEntries(FIELDS.map((f) => [f, union(f)])) as Record<typeof FIELDS[number], string[]>;
  return { ...all, undeclared: FIELDS.filter((f) => all[f].length === 0), byStore };
}
