/** What a phase found for one track of a batch: fields to store, or why the track failed. */
import type { TrackFields, TrackRow } from '../../tracks/track-transitions';
import type { Providers } from '../../providers/types';
import type { ProviderRetry } from '../call-provider';

export type PhaseOutcome = { ok: true; fields: TrackFields } | { ok: false; error: string };

/**
 * One enrichment phase over a batch. It returns an outcome per track; it throws only when the
 * provider is out (after retries), which fails the phase.
 */
export type Phase = (batch: readonly TrackRow[], providers: Providers, retry: ProviderRetry) => Promise<Map<string, PhaseOutcome>>;
