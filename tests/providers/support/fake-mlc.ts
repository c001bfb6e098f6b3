/**
 * A local stand-in for The MLC public API: POST /oauth/token with `{ username, password }` or
 * `{ refreshToken }` (answering `{ accessToken, idToken, refreshToken, tokenType, expiresIn }`,
 * or 401 `{ error, errorDescription }` with every token field null), 401 for an unknown, expired
 * or revoked bearer token, POST /search/recordings by ISRC or by title and artist (answers carry
 * `mlcsongCode`), POST /search/songcode by title and writers, GET /work/id/{mlcSongCode} (404 for
 * an unknown code), and on request: 429 with Retry-After, 5xx, or no answer at all.
 */
import { sendJson, startLocalApi, type LocalApi, type ReceivedRequest } from './local-api';

export const MLC_USERNAME = 'publisher@example.org';
export const MLC_PASSWORD = 'correct horse battery staple';

/** A recording The MLC holds by ISRC, whose work has two publishers (one administered). */
export const PUBLISHED_ISRC = 'USRC17607839';
export const PUBLISHED_CODE = 'SV5BBA';
/** A recording whose work has writers but no publisher share. */
export const UNPUBLISHED_ISRC = 'GBAYE0601498';
export const UNPUBLISHED_CODE = 'QD8ZZH';
/** Found only by title and artist (its ISRC is not in The MLC's recordings). */
export const TITLE_ONLY = { isrc: 'SEXYZ2400001', title: 'Paper Satellites', artist: 'Lena Novak', code: 'PX3TT7' };
/** Found only by title and writers (/search/songcode). */
export const SONGCODE_ONLY = { title: 'Velvet Tides', writers: ['Omar Haddad'], code: 'VT9WQ2' };
/** A recording that points at a work code The MLC no longer has (404 on the work). */
export const DANGLING_ISRC = 'USXXX2400404';

export const works: Record<string, unknown> = {
  [PUBLISHED_CODE]: {
    mlcSongCode: PUBLISHED_CODE,
    primaryTitle: 'MIDNIGHT RIVERS',
    iswc: 'T-345.246.800-1',
    writers: [
      { writerFirstName: 'Ava', writerLastName: 'Hart', writerIPI: '00052210040', writerRoleCode: 'CA', writerId: 'W1' },
      { writerFirstName: 'Leo', writerLastName: 'Moreau', writerIPI: null, writerRoleCode: 'C' },
    ],
    publishers: [
      {
        publisherName: 'Hart Songs',
        publisherIpiNumber: '00711863452',
        mlcPublisherNumber: 'P1234',
        collectionShare: 50,
        administrators: [{ publisherName: 'Kobalt Songs Music Publishing', publisherIpiNumber: '00482231950', collectionShare: 50 }],
      },
      { publisherName: 'Sony Music Publishing (US) LLC', publisherIpiNumber: 269137346, collectionShare: '50', administrators: [] },
    ],
    akas: [{ akaTitle: 'Midnight Rivers (Radio Edit)' }],
    artists: 'Ava Hart',
  },
  [UNPUBLISHED_CODE]: {
    mlcSongCode: UNPUBLISHED_CODE,
    primaryTitle: 'GOLDEN ECHOES',
    iswc: null,
    writers: [{ writerFirstName: 'Noah', writerLastName: 'Sato', writerIPI: '00163345120', writerRoleCode: 'CA' }],
    publishers: [],
  },
  [TITLE_ONLY.code]: {
    mlcSongCode: TITLE_ONLY.code,
    primaryTitle: 'PAPER SATELLITES',
    iswc: 'T-914.020.561-7',
    writers: [{ writerFirstName: 'Lena', writerLastName: 'Novak', writerIPI: '00588832011', writerRoleCode: 'CA' }],
    publishers: [{ publisherName: 'Novak Tunes', publisherIpiNumber: '00811552014', collectionShare: [100], administrators: [] }],
  },
  [SONGCODE_ONLY.code]: {
    mlcSongCode: SONGCODE_ONLY.code,
    primaryTitle: 'VELVET TIDES',
    iswc: 'T-300.111.222-5',
    writers: [{ writerFirstName: 'Omar', writerLastName: 'Haddad', writerIPI: '00412345678', writerRoleCode: 'C' }],
    publishers: [{ publisherName: 'Warner-Tamerlane Publishing Corp.', publisherIpiNumber: '00098765432', collectionShare: 100, administrators: [] }],
  },
};

const recordings = [
  { id: 'R1', title: 'Midnight Rivers', artist: 'Ava Hart', isrc: PUBLISHED_ISRC, mlcsongCode: PUBLISHED_CODE, labels: 'Atlantic Records' },
  { id: 'R2', title: 'Golden Echoes', artist: 'Noah Sato', isrc: UNPUBLISHED_ISRC, mlcsongCode: UNPUBLISHED_CODE, labels: 'Domino' },
  // The search is loose: a title search returns near misses beside the match.
  { id: 'R3', title: 'Paper Satellites (Live)', artist: 'Someone Else', isrc: 'USAAA0000001', mlcsongCode: 'ZZ0000', labels: '' },
  { id: 'R4', title: 'Paper Satellites', artist: 'Lena Novak & The Static', isrc: 'SEXYZ1900001', mlcsongCode: TITLE_ONLY.code, labels: 'Sub Pop' },
  { id: 'R5', title: 'Dangling', artist: 'Nobody', isrc: DANGLING_ISRC, mlcsongCode: 'GONE00', labels: '' },
];

type Fault = { kind: 'rate-limit'; retryAfter: string } | { kind: 'server-error'; status: number } | { kind: 'hang' };

export interface FakeMlc extends LocalApi {
  tokenRequests: () => ReceivedRequest[];
  dataRequests: () => ReceivedRequest[];
  /** Every bearer token issued so far stops working (as if revoked or expired server-side). */
  revokeAllTokens: () => void;
  /** The refresh token stops working too: the next mint must sign in with the password. */
  revokeRefreshTokens: () => void;
  /** The next `count` data requests fail this way. */
  failNext: (fault: Fault, count?: number) => void;
  /** Requests that arrived before the time a 429's Retry-After named. */
  early: number;
}

export async function startFakeMlc(options: { expiresIn?: number | string; issueIdToken?: boolean } = {}): Promise<FakeMlc> {
  const validTokens = new Set<string>();
  const validRefresh = new Set<string>();
  let minted = 0;
  const faults: Fault[] = [];
  let resumeAt = 0;
  const fake = { early: 0 } as FakeMlc;
  const refused = (response: Parameters<typeof sendJson>[0], description: string) =>
    sendJson(response, 401, { error: 'invalid_grant', errorDescription: description, accessToken: null, refreshToken: null, idToken: null, scope: null, expiresIn: null, tokenType: null });

  const api = await startLocalApi((request, response) => {
    const path = request.url.pathname;
    if (request.method === 'POST' && path === '/oauth/token') {
      const body = JSON.parse(request.body || '{}') as { username?: string; password?: string; refreshToken?: string };
      if (body.refreshToken !== undefined) {
        if (!validRefresh.has(body.refreshToken)) return refused(response, 'Invalid Refresh Token');
      } else if (body.username !== MLC_USERNAME || body.password !== MLC_PASSWORD) {
        return refused(response, 'Wrong email or password');
      }
      minted += 1;
      const bearer = `mlc-token-${minted}`;
      validTokens.add(bearer);
      // Cognito answers a refresh without a new refresh token.
      const refreshToken = body.refreshToken === undefined ? `mlc-refresh-${minted}` : null;
      if (refreshToken) validRefresh.add(refreshToken);
      const issueId = options.issueIdToken ?? true;
      return sendJson(response, 200, {
        // With an id token, the access token is one the search endpoints refuse (as reported of the real API).
        accessToken: issueId ? `access-not-for-search-${minted}` : bearer,
        idToken: issueId ? bearer : null,
        refreshToken,
        tokenType: 'Bearer',
        expiresIn: options.expiresIn ?? 3600,
        scope: null,
      });
    }

    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (!bearer || !validTokens.has(bearer)) return sendJson(response, 401, { message: 'Unauthorized' });
    if (request.at < resumeAt) fake.early += 1;
    const fault = faults.shift();
    if (fault?.kind === 'rate-limit') {
      resumeAt = request.at + Number(fault.retryAfter) * 1000;
      return sendJson(response, 429, { message: 'Too Many Requests' }, { 'retry-after': fault.retryAfter });
    }
    if (fault?.kind === 'server-error') return sendJson(response, fault.status, { message: 'Internal server error' });
    if (fault?.kind === 'hang') return; // never answers: the client's timeout must cut it

    if (request.method === 'POST' && path === '/search/recordings') {
      const body = JSON.parse(request.body || '{}') as { isrc?: string; title?: string; artist?: string };
      if (body.isrc) return sendJson(response, 200, recordings.filter((r) => r.isrc === body.isrc));
      const words = (body.title ?? '').toLowerCase();
      return sendJson(response, 200, words ? recordings.filter((r) => r.title.toLowerCase().includes(words)) : []);
    }
    if (request.method === 'POST' && path === '/search/songcode') {
      const body = JSON.parse(request.body || '{}') as { title?: string; writers?: Array<{ writerFirstName?: string; writerLastName?: string }> };
      if (!Array.isArray(body.writers)) return sendJson(response, 400, { message: 'Invalid request body' });
      const match =
        body.title?.toLowerCase() === SONGCODE_ONLY.title.toLowerCase() && body.writers.some((w) => `${w.writerFirstName} ${w.writerLastName}` === SONGCODE_ONLY.writers[0]);
      return sendJson(response, 200, match ? [{ mlcSongCode: SONGCODE_ONLY.code, workTitle: 'VELVET TIDES', iswc: 'T-300.111.222-5', writers: [] }] : []);
    }
    const workMatch = /^\/work\/id\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && workMatch) {
      const work = works[decodeURIComponent(workMatch[1]!)];
      return work ? sendJson(response, 200, work) : sendJson(response, 404, { message: 'Work not found' });
    }
    sendJson(response, 404, { message: 'Not found' });
  });

  return Object.assign(fake, api, {
    tokenRequests: () => api.requests.filter((r) => r.url.pathname === '/oauth/token'),
    dataRequests: () => api.requests.filter((r) => r.url.pathname !== '/oauth/token'),
    revokeAllTokens: () => validTokens.clear(),
    revokeRefreshTokens: () => validRefresh.clear(),
    failNext: (fault: Fault, count = 1) => {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
  });
}
