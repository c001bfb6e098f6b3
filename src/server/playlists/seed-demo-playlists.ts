/**
 * A newcomer's first start: when the catalog is the offline demo, the first account's workspace
 * gets a few demo playlists so the job board, tracks and activity move at once. Runs once per
 * database (a meta row remembers it), so playlists the user removes do not come back.
 */
import { meta } from '../db/schema';
import { log } from '../log';
import { demoPlaylistId } from '../providers/demo/demo-ids';
import type { Runtime } from '../runtime';
import { addPlaylist } from './add-playlist';

const SEEDED = 'demo_seeded';

export async function seedDemoPlaylists(runtime: Runtime, workspaceId: string, count = 3): Promise<number> {
  if (runtime.providers.catalog.name !== 'demo-catalog' || count === 0) return 0;
  const claimed = await runtime.db.insert(meta).values({ key: SEEDED, value: new Date().toISOString() }).onConflictDoNothing().returning();
  if (claimed.length === 0) return 0;
  let added = 0;
  for (let n = 1; n <= count; n++) {
    try {
      if ((await addPlaylist(runtime, workspaceId, { url: demoPlaylistId(n), tags: ['demo'] })).created) added++;
    } catch (error) {
      log.warn({ err: error }, 'could not add a demo playlist');
    }
  }
  return added;
}
