/**
 * A local stand-in for the Spotify Web API and its accounts service, answering as the reference
 * documents: client-credentials tokens (Basic auth, `grant_type=client_credentials`), 401 for an
 * unknown or revoked bearer token, playlist metadata, `/items` pages with limit (max 50), offset
 * and `next`, 403 on the items of a playlist the app may not list, single tracks and albums.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startLocalApi, type LocalApi, type ReceivedRequest } from './local-api';

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';
export const OPEN_PLAYLIST = '37i9dQZF1DXcBWIGoYBM5M';
export const RESTRICTED_PLAYLIST = '5ABHKGoOzxkaa28ttQV9sE';
export const TRACK_COUNT = 120;

export function trackId(index: number): string {
  return `trk${String(index).padStart(19, '0')}`;
}

export interface FakeSpotify extends LocalApi {
  tokenRequests: () => number;
  revokeAllTokens: () => void;
}

function fullTrack(index: number, url: string) {
  return {
    id: trackId(index),
    type: 'track',
    name: `Song ${index}`,
    artists: [{ name: `Artist ${index}` }, { name: 'Featured' }],
    album: { id: `alb${index < 2 ? 'shared' : String(index)}`, name: `Album ${index}`, release_date: '2024-05-17', images: [{ url: `${url}/img/${index}.jpg` }] },
    duration_ms: 180_000 + index,
    explicit: index % 2 === 0,
    popularity: 40 + (index % 50),
    is_local: false,
    external_ids: { isrc: `usrc1240${String(index).padStart(4, '0')}` },
  };
}

export async function startFakeSpotify(): Promise<FakeSpotify> {
  const validTokens = new Set<string>();
  let minted = 0;
  const api = await startLocalApi((request, response) => route(request, response));

  function route(request: ReceivedRequest, response: ServerResponse) {
    const path = request.url.pathname;
    if (request.method === 'POST' && path === '/api/token') return token(request, response);
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (!bearer || !validTokens.has(bearer)) {
      return sendJson(response, 401, { error: { status: 401, message: 'The access token expired' } });
    }
    let match = /^\/v1\/playlists\/([^/]+)$/.exec(path);
    if (match) return playlist(match[1]!, response);
    match = /^\/v1\/playlists\/([^/]+)\/items$/.exec(path);
    if (match) return items(match[1]!, request, response);
    match = /^\/v1\/tracks\/([^/]+)$/.exec(path);
    if (match) return track(match[1]!, response);
    match = /^\/v1\/albums\/([^/]+)$/.exec(path);
    if (match) return sendJson(response, 200, { id: match[1], name: 'Album', label: match[1] === 'albshared' ? 'Shared Label' : 'Other Label' });
    sendJson(response, 404, { error: { status: 404, message: 'Service not found' } });
  }

  function token(request: ReceivedRequest, response: ServerResponse) {
    const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    const form = new URLSearchParams(request.body);
    if (request.headers.authorization !== expected) {
      return sendJson(response, 400, { error: 'invalid_client', error_description: 'Invalid client' });
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'grant_type parameter is missing' });
    }
    minted += 1;
    const accessToken = `BQ-test-token-${minted}`;
    validTokens.add(accessToken);
    sendJson(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
  }

  function playlist(id: string, response: ServerResponse) {
    if (id !== OPEN_PLAYLIST && id !== RESTRICTED_PLAYLIST) {
      return sendJson(response, 404, { error: { status: 404, message: 'Resource not found' } });
    }
    sendJson(response, 200, {
      id,
      name: id === OPEN_PLAYLIST ? 'Open Hits' : 'Someone Else’s Mix',
      description: 'Fresh tracks',
      owner: { id: 'curator-id', display_name: 'The Curator' },
      images: [{ url: `${api.url}/img/cover.jpg`, height: 640, width: 640 }],
      followers: { href: null, total: 1234 },
      public: true,
    });
  }

  function items(id: string, request: ReceivedRequest, response: ServerResponse) {
    if (id === RESTRICTED_PLAYLIST) return sendJson(response, 403, { error: { status: 403, message: 'Forbidden' } });
    if (id !== OPEN_PLAYLIST) return sendJson(response, 404, { error: { status: 404, message: 'Resource not found' } });
    const limit = Number(request.url.searchParams.get('limit') ?? '20');
    const offset = Number(request.url.searchParams.get('offset') ?? '0');
    if (!(limit >= 1 && limit <= 50)) return sendJson(response, 400, { error: { status: 400, message: 'Invalid limit' } });
    // One extra entry past the tracks: a local file, which has no catalog id.
    const total = TRACK_COUNT + 1;
    const page = [];
    for (let index = offset; index < Math.min(total, offset + limit); index += 1) {
      page.push(
        index < TRACK_COUNT
          ? { added_at: '2026-01-01T00:00:00Z', is_local: false, item: fullTrack(index, api.url) }
          : { added_at: '2026-01-01T00:00:00Z', is_local: true, item: { id: null, type: 'track', name: 'My Demo.mp3', artists: [], is_local: true } },
      );
    }
    const next = offset + limit < total ? `${api.url}/v1/playlists/${id}/items?offset=${offset + limit}&limit=${limit}` : null;
    sendJson(response, 200, { href: request.url.href, items: page, limit, offset, total, next, previous: null });
  }

  function track(id: string, response: ServerResponse) {
    if (!/^[0-9A-Za-z]{22}$/.test(id)) return sendJson(response, 400, { error: { status: 400, message: 'Invalid base62 id' } });
    const index = Number(id.slice(3));
    if (!id.startsWith('trk') || !(index >= 0 && index < TRACK_COUNT)) {
      return sendJson(response, 404, { error: { status: 404, message: 'Resource not found' } });
    }
    sendJson(response, 200, fullTrack(index, api.url));
  }

  return {
    ...api,
    tokenRequests: () => api.requests.filter((r) => r.url.pathname === '/api/token').length,
    revokeAllTokens: () => validTokens.clear(),
  };
}
