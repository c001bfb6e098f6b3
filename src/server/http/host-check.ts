/**
 * DNS rebinding: a page on evil.example whose name is made to resolve to 127.0.0.1 talks to a
 * server bound to loopback with `Host: evil.example`. Bound to loopback, the server answers only
 * requests addressed to a loopback name (or to BETTER_AUTH_URL's or ALLOWED_ORIGINS' hosts).
 */
import type { Config } from '../config';

const loopbackBinds = new Set(['127.0.0.1', '::1', 'localhost']);
const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type HostCheck = (hostHeader: string | undefined) => boolean;

export function hostCheck(config: Pick<Config, 'HOST' | 'BETTER_AUTH_URL' | 'ALLOWED_ORIGINS'>): HostCheck {
  if (!loopbackBinds.has(config.HOST)) return () => true;
  const allowed = new Set(loopbackNames);
  for (const url of [config.BETTER_AUTH_URL, ...config.ALLOWED_ORIGINS]) if (url) allowed.add(new URL(url).hostname);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':', 1)[0]!;
    return allowed.has(name.toLowerCase());
  };
}
