/**
 * Spotify's client-credentials flow: POST /api/token on the accounts host with the app's id and
 * secret as HTTP Basic auth and `grant_type=client_credentials`; the token lives `expires_in`
 * seconds (an hour) and is cached by AccessTokenCache until shortly before then.
 */
import { AccessTokenCache } from '../access-token-cache';
import type { ProviderHttpClient } from '../http-client';
import { ProviderError } from '../types';
import { spotifyTokenSchema } from './spotify-schemas';

export function spotifyAccessToken(
  http: ProviderHttpClient,
  credentials: { accountsUrl: string; clientId: string; clientSecret: string },
): AccessTokenCache {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  return new AccessTokenCache(async () => {
    const answer = await http.json(
      {
        url: new URL('/api/token', credentials.accountsUrl),
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
        what: 'an access token',
        // The accounts service answers bad credentials with 400 invalid_client (RFC 6749 §5.2).
        errorForStatus: (status, body) =>
          status === 400 || status === 401
            ? new ProviderError(
                'spotify',
                'AUTH',
                `Spotify refused the app credentials (${oauthError(body) ?? `HTTP ${status}`}). Check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET against the app's settings in the Spotify developer dashboard.`,
                { retryable: false },
              )
            : null,
      },
      spotifyTokenSchema,
    );
    return { accessToken: answer.access_token, expiresInSeconds: answer.expires_in ?? null };
  });
}

function oauthError(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const { error, error_description: description } = body as Record<string, unknown>;
  if (typeof description === 'string') return description;
  return typeof error === 'string' ? error : null;
}
