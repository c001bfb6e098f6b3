/**
 * vitest global setup: the run's directory for test databases (see startTestRun), named to the
 * test processes through LINERNOTES_TEST_RUN_DIR and removed when the run ends.
 */
import { startTestRun } from './db-templates';

export default function setup(): () => void {
  const run = startTestRun();
  process.env.LINERNOTES_TEST_RUN_DIR = run.dir;
  return run.end;
}
