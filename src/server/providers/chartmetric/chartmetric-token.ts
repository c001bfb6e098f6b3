/**
 * Chartmetric's auth: the long-lived refresh token from the account page is exchanged at
 * POST /api/token (JSON `{ "refreshtoken": … }`) for an access token that lives `expires_in`
 * seconds. It is re-minted before expiry, and at once when a call gets 401 (single flight).
 */
import { AccessTokenCache } from '../access-token-cache';
import type { ProviderHttpClient } from '../http-client';
import { ProviderError } from '../types';
import { chartmetricTokenSchema } from './chartmetric-schemas';

export function chartmetricAccessToken(http: ProviderHttpClient, options: { apiUrl: string; refreshToken: string }): AccessTokenCache {
  return new AccessTokenCache(async () => {
    const answer = await http.json(
      {
        url: new URL('/api/token', options.apiUrl),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshtoken: options.refreshToken }),
        what: 'an access token',
        errorForStatus: (status) =>
          status === 400 || status === 401 || status === 403
            ? new ProviderError(
                'chartmetric',
                'AUTH',
                `Chartmetric refused the refresh token (HTTP ${status}). Copy a current one from your Chartmetric account's API page into CHARTMETRIC_REFRESH_TOKEN.`,
                { retryable: false },
              )
            : null,
      },
      chartmetricTokenSchema,
    );
    return { accessToken: answer.token, expiresInSeconds: answer.expires_in ?? null };
  });
}
