import { PlaylistDetail } from '~/components/playlists/playlist-detail';

export const metadata = { title: 'Playlist · Linernotes' };

export default async function PlaylistPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PlaylistDetail playlistId={id} />;
}
