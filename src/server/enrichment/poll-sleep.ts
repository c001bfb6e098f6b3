/**
 * The pause between a worker loop's polls, which `wakeAll` cuts short (new work arrived, or the
 * worker is stopping). Shared by the enrichment and fetch workers.
 */
export class PollSleep {
  private readonly sleepers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  wakeAll(): void {
    for (const wakeUp of [...this.sleepers]) wakeUp();
  }
}
