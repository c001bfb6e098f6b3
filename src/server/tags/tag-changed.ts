import type { Tx } from '~/server/events/event-log';
import type { TagRow } from './queries';

export function emitTagChanged(tx: Tx, tag: TagRow, change: 'created' | 'updated' | 'deleted'): void {
  tx.emit({ type: 'tag_changed', workspaceId: tag.workspaceId, keys: {}, data: { tagId: tag.id, name: tag.name, color: tag.color, change } });
}
