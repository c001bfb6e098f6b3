/**
 * Long-lived connections (WebSockets and SSE responses) counted per client address, so one
 * client cannot hold every socket the process can serve. A connection over the limit is refused
 * (429) before any work; the count drops when it closes.
 */
export class ConnectionLimits {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perAddress: number,
    private readonly overall: number,
  ) {}

  /** Takes a slot for `address` and returns its release; over a limit, returns the sentence that says which. */
  acquire(address: string): (() => void) | string {
    const count = this.open.get(address) ?? 0;
    if (count >= this.perAddress) return `This address already holds ${count} open connections (the limit); close some before opening more.`;
    if (this.total >= this.overall) return `The server holds ${this.total} open connections (its limit); try again shortly.`;
    this.open.set(address, count + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left === 0) this.open.delete(address);
      else this.open.set(address, left);
    };
  }

  size(): number {
    return this.total;
  }
}
