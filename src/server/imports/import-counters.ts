import { importRowsTotal } from '../observability/metrics';

/** What a chunk of rows adds to an import's tally (the imports row adds it up; the events carry the sums). */
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
