/**
 * Turns what a person pastes into a Spotify playlist id: a share link
 * (https://open.spotify.com/playlist/<id>?si=..., with or without scheme or an /intl-xx/ segment),
 * a URI (spotify:playlist:<id>, or the legacy spotify:user:<user>:playlist:<id>), or a bare id.
 * Spotify ids are 22 base62 characters; the demo catalog's ids (DemoPlaylist0000000001) are too.
 */
const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
const URI = /^spotify:(?:user:[^:\s]+:)?playlist:([0-9A-Za-z]{22})$/;
const HOSTS = new Set(['open.spotify.com', 'play.spotify.com']);

export function parsePlaylistRef(input: string): string | null {
  const value = input.trim();
  if (SPOTIFY_ID.test(value)) return value;
  const uri = URI.exec(value);
  if (uri) return uri[1]!;
  return fromUrl(value);
}

function fromUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    return null;
  }
  if (!HOSTS.has(url.hostname.toLowerCase())) return null;
  const segments = url.pathname.split('/').filter(Boolean);
  // /playlist/<id>, /intl-de/playlist/<id>, /user/<name>/playlist/<id> (old share links)
  const at = segments.lastIndexOf('playlist');
  if (at === -1 || at !== segments.length - 2) return null;
  const id = segments[at + 1]!;
  return SPOTIFY_ID.test(id) ? id : null;
}
