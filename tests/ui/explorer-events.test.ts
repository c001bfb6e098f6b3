/** Which tracks each explorer event touches: the ones the explorer and a track's detail read again. */
import { expect, test } from 'vitest';
import { touchedTrackIds, type ExplorerEvent } from '~/components/explorer/explorer-events';

const envelope = (type: ExplorerEvent['type'], data: unknown, keys: Record<string, string> = {}) =>
  ({ id: 'e:1', type, at: '2026-12-01T00:00:00.000Z', workspaceId: 'w', keys, data }) as ExplorerEvent;
const none = () => [];

test('track events touch their track; tag batches and membership changes touch every track they name', () => {
  expect(touchedTrackIds(envelope('track_status_changed', { trackId: 't1', from: 'pending', to: 'enriching' }), none)).toEqual(['t1']);
  expect(touchedTrackIds(envelope('track_noted', { trackId: 't2', itemId: '1', message: 'x', by: null, at: '' }), none)).toEqual(['t2']);
  expect(touchedTrackIds(envelope('track_tags_changed', { tagId: 'g', name: 'n', color: 'red', action: 'tagged', trackIds: ['a', 'b'] }), none)).toEqual(['a', 'b']);
  expect(touchedTrackIds(envelope('playlist_tracks_changed', { playlistId: 'p', added: ['a'], dropped: ['b'], week: '2026-11-30' }), none)).toEqual(['a', 'b']);
});

test('a tag renamed, recoloured or deleted touches the loaded tracks that carry it; a saved view touches none', () => {
  const carriers = (tagId: string) => (tagId === 'g' ? ['x', 'y'] : []);
  expect(touchedTrackIds(envelope('tag_changed', { tagId: 'g', name: 'New', color: 'red', change: 'updated' }), carriers)).toEqual(['x', 'y']);
  expect(touchedTrackIds(envelope('tag_changed', { tagId: 'h', name: 'Other', color: 'red', change: 'deleted' }), carriers)).toEqual([]);
  expect(touchedTrackIds(envelope('saved_view_changed', { viewId: 'v', userId: 'u', name: 'n', query: '', removed: false }), carriers)).toEqual([]);
});
