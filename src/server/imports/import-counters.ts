import { importRowsTotal } from '../observability/metrics';

/** An import's running tally; the same four numbers the imports row and the events carry. */
export interface ImportCounters {
  processed: number;
  created: number;
  duplicates: number;
  failed: number;
}

export type RowOutcome = 'created' | 'duplicate' | 'failed';

const counterOf = { created: 'created', duplicate: 'duplicates', failed: 'failed' } as const;

export function countOutcome(counters: ImportCounters, outcome: RowOutcome): void {
  counters.processed++;
  counters[counterOf[outcome]]++;
  importRowsTotal.inc({ outcome });
}
