import { AddPlaylistForm } from '~/components/playlists/add-playlist-form';
import { PlaylistTable } from '~/components/playlists/playlist-table';
import { PageHeader } from '~/components/ui/card';

export const metadata = { title: 'Playlists · Linernotes' };

export default function PlaylistsPage() {
  return (
    <>
      <PageHeader title="Playlists" description="Followers, track counts and enrichment update as they change." />
      <div className="space-y-6">
        <AddPlaylistForm />
        <PlaylistTable />
      </div>
    </>
  );
}
