/**
 * MusicBrainz as the credits provider, by ISRC.
 *
 * GET /ws/2/isrc/{isrc} finds the recordings with that ISRC; GET /ws/2/recording/{mbid} with
 * `inc=artist-rels+work-rels+work-level-rels` gives the recording's producer relations and, through
 * its work, the songwriters (composer, lyricist, writer, librettist). MusicBrainz allows one
 * request per second per client and answers 503 when we go faster; it asks every client for a
 * User-Agent naming the application and a contact.
 */
import type { ProviderHttpClient } from '../http-client';
import { ProviderError, type CreditsProvider, type TrackCredits } from '../types';
import { isrcLookupSchema, recordingSchema, type Recording } from './musicbrainz-schemas';
import { notFoundAsNull } from '../not-found-as-null';

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;
const SONGWRITER_TYPES = new Set(['composer', 'lyricist', 'writer', 'librettist']);
const PRODUCER_TYPES = new Set(['producer']);

export class MusicBrainzCredits implements CreditsProvider {
  readonly name = 'musicbrainz';

  constructor(private readonly options: { http: ProviderHttpClient; baseUrl: string }) {}

  async getCredits(isrc: string, signal?: AbortSignal): Promise<TrackCredits | null> {
    const normalized = isrc.replace(/[-\s]/g, '').toUpperCase();
    if (!ISRC.test(normalized)) {
      throw new ProviderError('musicbrainz', 'INVALID_INPUT', `"${isrc}" is not an ISRC (12 characters: country, registrant, year, number, like USRC17607839).`, {
        retryable: false,
      });
    }
    const lookup = await notFoundAsNull(
      this.options.http.json({ url: this.url(`/ws/2/isrc/${normalized}`), what: `ISRC ${normalized}` }, isrcLookupSchema, signal),
    );
    const recordingId = lookup?.recordings[0]?.id;
    if (!recordingId) return null;
    const recordingUrl = this.url(`/ws/2/recording/${encodeURIComponent(recordingId)}`);
    recordingUrl.searchParams.set('inc', 'artist-rels+work-rels+work-level-rels');
    const recording = await notFoundAsNull(
      this.options.http.json({ url: recordingUrl, what: `the credits of recording ${recordingId} (ISRC ${normalized})` }, recordingSchema, signal),
    );
    return recording ? creditsOf(recording) : null;
  }

  private url(path: string): URL {
    const url = new URL(path, this.options.baseUrl);
    url.searchParams.set('fmt', 'json');
    return url;
  }
}

function creditsOf(recording: Recording): TrackCredits {
  const songwriters = new Set<string>();
  const producers = new Set<string>();
  for (const relation of recording.relations) {
    if (relation['target-type'] === 'artist' && relation.artist && PRODUCER_TYPES.has(relation.type)) producers.add(relation.artist.name);
    if (relation['target-type'] === 'work' && relation.work) {
      for (const workRelation of relation.work.relations) {
        if (workRelation['target-type'] === 'artist' && workRelation.artist && SONGWRITER_TYPES.has(workRelation.type)) {
          songwriters.add(workRelation.artist.name);
        }
      }
    }
  }
  return { songwriters: [...songwriters], producers: [...producers] };
}
