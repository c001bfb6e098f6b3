/**
 * A local stand-in for the MusicBrainz web service (ws/2, fmt=json): ISRC lookups, recording
 * lookups with artist and work relations, a 403 for a request without a User-Agent, and the
 * documented rate rule (one request per second per client, 503 past it, with X-RateLimit headers).
 */
import { sendJson, startLocalApi, type LocalApi } from './local-api';

export const KNOWN_ISRC = 'GBUM71029604';
export const SECOND_ISRC = 'USRC17607839';
/**
 * Requests closer together than this break the rule. The slack is for scheduling: the fake runs
 * in the test's own process, so on a loaded machine one request's handler can start a few hundred
 * ms late and the next, sent on time, then looks early (a CI run saw one). A client without a
 * limiter sends milliseconds apart and one at 2 per second 500 ms apart: both still break it.
 */
const MIN_GAP_MS = 600;

export interface FakeMusicBrainz extends LocalApi {
  /** Requests that came faster than the rate rule allows (each was answered 503). */
  tooFast: number;
}

const recordings: Record<string, { id: string; relations: unknown[] }> = {
  [KNOWN_ISRC]: {
    id: 'b1a9c0e9-d987-4042-ae91-78d6a3267d69',
    relations: [
      { type: 'producer', 'target-type': 'artist', direction: 'backward', artist: { id: 'p1', name: 'Paul Epworth' } },
      { type: 'mix', 'target-type': 'artist', direction: 'backward', artist: { id: 'm1', name: 'Tom Elmhirst' } },
      {
        type: 'performance',
        'target-type': 'work',
        direction: 'forward',
        work: {
          id: 'w1',
          title: 'Rolling in the Deep',
          relations: [
            { type: 'composer', 'target-type': 'artist', artist: { id: 'a1', name: 'Adele' } },
            { type: 'lyricist', 'target-type': 'artist', artist: { id: 'a1', name: 'Adele' } },
            { type: 'writer', 'target-type': 'artist', artist: { id: 'p1', name: 'Paul Epworth' } },
            { type: 'publishing', 'target-type': 'label', label: { id: 'l1', name: 'Universal' } },
          ],
        },
      },
    ],
  },
  [SECOND_ISRC]: { id: 'c2b8f0aa-0000-4000-8000-000000000002', relations: [] },
};

export async function startFakeMusicBrainz(options: { rateLimitFirst?: boolean } = {}): Promise<FakeMusicBrainz> {
  let lastAt = 0;
  let pendingRateLimit = options.rateLimitFirst ?? false;
  const fake = { tooFast: 0 } as FakeMusicBrainz;
  const api = await startLocalApi((request, response) => {
    if (!request.headers['user-agent']) return sendJson(response, 403, { error: 'Please provide a meaningful User-Agent.' });
    const tooFast = lastAt !== 0 && request.at - lastAt < MIN_GAP_MS;
    lastAt = request.at;
    if (tooFast || pendingRateLimit) {
      if (tooFast) fake.tooFast += 1;
      pendingRateLimit = false;
      return sendJson(
        response,
        503,
        { error: 'Your requests are exceeding the allowable rate limit. Please see http://wiki.musicbrainz.org/XMLWebService for more information.' },
        { 'retry-after': '1', 'x-ratelimit-limit': '1200', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(request.at / 1000) + 1) },
      );
    }
    if (request.url.searchParams.get('fmt') !== 'json') return sendJson(response, 400, { error: 'fmt must be json here' });
    let match = /^\/ws\/2\/isrc\/([A-Z0-9]+)$/.exec(request.url.pathname);
    if (match) {
      const recording = recordings[match[1]!];
      if (!recording) return sendJson(response, 404, { error: 'Not Found', help: 'For usage, please see: https://musicbrainz.org/development/mmd' });
      return sendJson(response, 200, { isrc: match[1], recordings: [{ id: recording.id, title: 'Some title', length: 228_000 }] });
    }
    match = /^\/ws\/2\/recording\/([0-9a-f-]+)$/.exec(request.url.pathname);
    if (match) {
      const recording = Object.values(recordings).find((r) => r.id === match![1]);
      if (!recording) return sendJson(response, 404, { error: 'Not Found' });
      return sendJson(response, 200, { id: recording.id, title: 'Some title', relations: recording.relations });
    }
    sendJson(response, 404, { error: 'Not Found' });
  });
  return Object.assign(fake, api);
}
