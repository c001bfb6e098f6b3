/**
 * Keeps an idle SSE stream alive: a `ping` message whenever nothing was written for a while, so
 * the client's `reconnectAfterInactivityMs` (and proxies' idle timeouts) never fire on a healthy
 * stream.
 *
 * tRPC's own `withPing` races a timer against every item; here a write only sets a flag, and a
 * timer ticking every half interval pings when a whole tick went by without one. The stream is
 * therefore never silent for `intervalMs` or longer (tRPC's rule that the ping interval be below
 * the client's reconnect timeout keeps its meaning), at the price of a ping up to half an interval
 * early.
 */
export interface IdlePing {
  /** Call on every write. */
  wrote(): void;
  stop(): void;
}

export function idlePing(intervalMs: number, ping: () => void): IdlePing {
  let written = false;
  const timer = setInterval(() => {
    if (!written) ping();
    written = false;
  }, Math.max(1, Math.floor(intervalMs / 2)));
  timer.unref();
  return {
    wrote: () => {
      written = true;
    },
    stop: () => clearInterval(timer),
  };
}
