import { describe, expect, test } from 'vitest';
import { parsePlaylistRef } from '~/server/playlists/playlist-ref';

const id = '37i9dQZF1DXcBWIGoYBM5M';

describe('parsePlaylistRef', () => {
  test.each([
    [`https://open.spotify.com/playlist/${id}?si=4f1c2a9b8e7d4c3a`, id],
    [`https://open.spotify.com/playlist/${id}`, id],
    [`http://open.spotify.com/playlist/${id}/`, id],
    [`open.spotify.com/playlist/${id}?si=x&pt=y`, id],
    [`https://open.spotify.com/intl-de/playlist/${id}?si=abc`, id],
    [`https://open.spotify.com/user/spotify/playlist/${id}`, id],
    [`spotify:playlist:${id}`, id],
    [`spotify:user:someone:playlist:${id}`, id],
    [`  ${id}\n`, id],
    ['DemoPlaylist0000000001', 'DemoPlaylist0000000001'],
  ])('%s', (input, expected) => {
    expect(parsePlaylistRef(input)).toBe(expected);
  });

  test.each([
    '',
    'hello',
    `${id}x`,
    id.slice(1),
    `https://open.spotify.com/track/${id}`,
    `https://open.spotify.com/album/${id}`,
    `https://evil.example.com/playlist/${id}`,
    `https://open.spotify.com/playlist/${id}/tracks`,
    `spotify:album:${id}`,
    `https://open.spotify.com/playlist/not-an-id`,
    'javascript:alert(1)',
    `${'a'.repeat(10_000)}`,
  ])('rejects %j', (input) => {
    expect(parsePlaylistRef(input)).toBeNull();
  });
});
