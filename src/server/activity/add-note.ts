/** A person's note in the activity feed ("pitched to the label", "waiting on credits"). */
import type { Runtime } from '../runtime';
import { logActivity } from './log-activity';

export function addNote(runtime: Runtime, workspaceId: string, message: string) {
  return runtime.log.transaction((tx) => logActivity(tx, { workspaceId, kind: 'note', message }));
}
