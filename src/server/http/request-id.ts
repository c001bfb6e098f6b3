/** One id per HTTP request or WebSocket connection, in the response's `x-request-id` and in every log line about it. */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

const ids = new WeakMap<http.IncomingMessage, string>();

export function requestIdOf(req: http.IncomingMessage): string {
  let id = ids.get(req);
  if (!id) {
    // A proxy's id is kept when it looks like one, so a request can be followed across both logs.
    const incoming = req.headers['x-request-id'];
    id = typeof incoming === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(incoming) ? incoming : randomBytes(8).toString('base64url');
    ids.set(req, id);
  }
  return id;
}
