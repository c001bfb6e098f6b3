/**
 * A local stand-in for the Chartmetric API: refresh token -> access token at POST /api/token,
 * 401 for an unknown or revoked bearer token, track id resolution (`get-ids`), track metadata with
 * `cm_statistics`, playlist search and a playlist's current tracks paged with limit/offset, and
 * 429 with X-RateLimit-Reset (epoch seconds) when asked to.
 */
import { sendJson, startLocalApi, type LocalApi } from './local-api';

export const REFRESH_TOKEN = 'cm-refresh-token';
export const KNOWN_ISRC = 'USRC12400001';
export const KNOWN_SPOTIFY_TRACK = 'trk0000000000000000001';
export const CHARTMETRIC_PLAYLIST_TRACKS = 230;

export interface FakeChartmetric extends LocalApi {
  tokenRequests: () => number;
  revokeAllTokens: () => void;
  /** The next data request gets 429 with X-RateLimit-Reset one second ahead. */
  rateLimitNext: () => void;
  /** Requests that arrived before a reset the server had announced. */
  early: number;
}

export async function startFakeChartmetric(options: { knownSpotifyPlaylist?: string } = {}): Promise<FakeChartmetric> {
  const validTokens = new Set<string>();
  let minted = 0;
  let rateLimitNext = false;
  let resumeAt = 0;
  const fake = { early: 0 } as FakeChartmetric;
  const api = await startLocalApi((request, response) => {
    const path = request.url.pathname;
    if (request.method === 'POST' && path === '/api/token') {
      const body = JSON.parse(request.body || '{}') as { refreshtoken?: string };
      if (body.refreshtoken !== REFRESH_TOKEN) return sendJson(response, 401, { error: 'invalid refresh token' });
      minted += 1;
      const token = `cm-access-${minted}`;
      validTokens.add(token);
      return sendJson(response, 200, { token, expires_in: 3600, refresh_token: REFRESH_TOKEN, scope: 'api' });
    }
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (!bearer || !validTokens.has(bearer)) return sendJson(response, 401, { error: 'unauthorized' });
    if (request.at < resumeAt) fake.early += 1;
    if (rateLimitNext) {
      rateLimitNext = false;
      resumeAt = (Math.floor(request.at / 1000) + 1) * 1000;
      return sendJson(response, 429, { error: 'Too Many Requests' }, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resumeAt / 1000) });
    }

    let match = /^\/api\/track\/(isrc|spotify)\/([^/]+)\/get-ids$/.exec(path);
    if (match) {
      const known = match[1] === 'isrc' ? match[2] === KNOWN_ISRC : match[2] === KNOWN_SPOTIFY_TRACK;
      return sendJson(response, 200, { obj: known ? [{ chartmetric_ids: [111], isrc: KNOWN_ISRC, spotify_ids: [KNOWN_SPOTIFY_TRACK] }] : [] });
    }
    match = /^\/api\/track\/(\d+)$/.exec(path);
    if (match) {
      if (match[1] !== '111') return sendJson(response, 404, { error: 'track not found' });
      return sendJson(response, 200, { obj: { id: 111, name: 'Song 1', cm_statistics: { sp_streams: 123_456_789, sp_playlist_total_reach: 4_567_890, num_sp_playlists: 321 } } });
    }
    if (path === '/api/search') {
      const q = request.url.searchParams.get('q') ?? '';
      const known = options.knownSpotifyPlaylist && q === `https://open.spotify.com/playlist/${options.knownSpotifyPlaylist}`;
      return sendJson(response, 200, { obj: { playlists: { spotify: known ? [{ id: 555, name: 'Someone Else’s Mix' }] : [] } } });
    }
    match = /^\/api\/playlist\/spotify\/(\d+)\/current\/tracks$/.exec(path);
    if (match) {
      const limit = Number(request.url.searchParams.get('limit') ?? '100');
      const offset = Number(request.url.searchParams.get('offset') ?? '0');
      const obj = [];
      for (let index = offset; index < Math.min(CHARTMETRIC_PLAYLIST_TRACKS, offset + limit); index += 1) {
        obj.push({
          id: 1000 + index,
          name: `Chart Song ${index}`,
          isrc: `USRC1240${String(index).padStart(4, '0')}`,
          spotify_track_ids: [`cmt${String(index).padStart(19, '0')}`],
          artist_names: [`Chart Artist ${index}`],
          album_names: [`Chart Album ${index}`],
          position: index + 1,
        });
      }
      return sendJson(response, 200, { obj });
    }
    sendJson(response, 404, { error: 'not found' });
  });
  return Object.assign(fake, api, {
    tokenRequests: () => api.requests.filter((r) => r.url.pathname === '/api/token').length,
    revokeAllTokens: () => validTokens.clear(),
    rateLimitNext: () => {
      rateLimitNext = true;
    },
  });
}
