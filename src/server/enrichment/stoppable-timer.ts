/**
 * A background task on an interval that never overlaps itself and stops cleanly: `stop()` waits
 * for a run in progress (its signal is aborted) so a closing runtime is not used after close.
 */
export interface StoppableTimer {
  stop(): Promise<void>;
}

export function startTimer(intervalMs: number, run: (signal: AbortSignal) => Promise<void>): StoppableTimer {
  const controller = new AbortController();
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = run(controller.signal).finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      controller.abort();
      await running;
    },
  };
}
