/**
 * Counts one connection's inbound requests per one-second window. A fixed window is enough here:
 * the cap exists so one client cannot make the server parse and dispatch without end, not to
 * shape traffic smoothly.
 */
export class InboundRate {
  private windowStart = 0;
  private count = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one request; false when it is over this second's allowance. */
  admit(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    return ++this.count <= this.perSecond;
  }
}
