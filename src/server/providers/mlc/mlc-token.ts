/**
 * The MLC's auth: POST /oauth/token with JSON `{ username, password }` answers `{ accessToken,
 * idToken, refreshToken, tokenType, expiresIn }`; the same endpoint with `{ refreshToken }` mints
 * a fresh token without the password. The token is cached until shortly before `expiresIn` and
 * re-minted at once when a call gets 401 (single flight, AccessTokenCache). A refused refresh
 * token falls back to the username and password once; refused credentials are AUTH.
 *
 * Which token is the bearer: the answer's `idToken` when it has one, else `accessToken`. The API
 * sits behind an AWS Cognito authorizer, and clients of the public API report that its search
 * endpoints accept the id token and refuse the access token with 401.
 */
import { AccessTokenCache } from '../access-token-cache';
import type { ProviderHttpClient } from '../http-client';
import { ProviderError } from '../types';
import { mlcTokenSchema } from './mlc-schemas';

export interface MlcCredentials {
  baseUrl: string;
  username: string;
  password: string;
}

export function mlcAccessToken(
  http: ProviderHttpClient,
  credentials: MlcCredentials,
  options: { refreshMarginMs?: number; now?: () => number } = {},
): AccessTokenCache {
  let refreshToken: string | null = null;

  const request = async (body: Record<string, string>, refusal: (detail: string) => string) => {
    const answer = await http.json(
      {
        url: new URL('/oauth/token', credentials.baseUrl),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        what: 'an access token',
        errorForStatus: (status, errorBody) =>
          status === 400 || status === 401 || status === 403 ? new ProviderError('mlc', 'AUTH', refusal(tokenError(errorBody) ?? `HTTP ${status}`), { retryable: false }) : null,
      },
      mlcTokenSchema,
    );
    // A refresh answer may carry no new refresh token: the one we hold stays good.
    if (answer.refreshToken) refreshToken = answer.refreshToken;
    return { accessToken: answer.idToken ?? answer.accessToken, expiresInSeconds: answer.expiresIn ?? null };
  };

  const login = () =>
    request(
      { username: credentials.username, password: credentials.password },
      (detail) => `The MLC refused the username and password (${detail}). Check MLC_USERNAME and MLC_PASSWORD against your account on portal.themlc.com.`,
    );

  return new AccessTokenCache(
    async () => {
      if (!refreshToken) return login();
      try {
        return await request({ refreshToken }, (detail) => `The MLC refused the refresh token (${detail}).`);
      } catch (error) {
        if (!(error instanceof ProviderError) || error.code !== 'AUTH') throw error;
        // The refresh token expired or was revoked: sign in again with the password.
        refreshToken = null;
        return login();
      }
    },
    options,
  );
}

function tokenError(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const { errorDescription, error_description: snake, error, message } = body as Record<string, unknown>;
  for (const value of [errorDescription, snake, message, error]) if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
  return null;
}
