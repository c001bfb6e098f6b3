/** The demo credits provider (songwriters, producers by ISRC), deterministic per ISRC. */
import { ProviderError, type CreditsProvider, type TrackCredits } from '../types';
import { demoCreditsFor } from './demo-track-facts';
import { simulateCall, simulatedItemFailure, type SimulationOptions } from './simulated-call';

export class DemoCredits implements CreditsProvider {
  readonly name = 'demo-credits';

  constructor(private readonly opts: SimulationOptions) {}

  async getCredits(isrc: string, signal?: AbortSignal): Promise<TrackCredits | null> {
    await simulateCall('demo credits', this.opts, signal);
    if (simulatedItemFailure(this.opts)) {
      throw new ProviderError(this.name, 'BAD_RESPONSE', `The demo credits provider returned an unreadable record for ISRC ${isrc} (simulated).`);
    }
    return demoCreditsFor(isrc);
  }
}
