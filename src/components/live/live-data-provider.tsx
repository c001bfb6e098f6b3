'use client';
/**
 * The workspace's live data, subscribed once per tab and shared by every page: jobs
 * (jobStatus), imports (importProgress), playlists and analytics (playlistUpdates) and the
 * activity feed (activityFeed). Pages read it through the hooks below, so switching pages shows
 * current state at once instead of waiting for a new snapshot. The toasts for things that
 * finish (a job, an import) or break (a playlist) come from here too, whatever page is open.
 * When the live connection is replaced (another workspace, another account), what was shown is
 * dropped at once, so nothing of the previous workspace stays on screen until the new snapshots.
 *
 * A page rendered on the server hands over each stream's snapshot and the position it was taken
 * at (`initial`): the page shows it at once, in its HTML, and each stream resumes from that
 * position instead of asking for a snapshot again.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Envelope } from '~/server/events/catalog';
import type { LiveStart } from '~/trpc/live-start';
import { api, useLiveConnection } from '~/trpc/react';
import { useLiveStream, type LiveStreamStatus } from '~/trpc/use-live-stream';
import { useToast } from '../toasts/toast-provider';
import { activityFromSnapshot, appendOlderActivity, applyActivityEvents, emptyActivity, type ActivityRow, type ActivityState } from './activity-state';
import { applyImportEvents, importsFromSnapshot, mergeFetchedImport, type ImportEventType, type ImportRow, type ImportsState } from './imports-state';
import { applyJobEvents, jobsFromSnapshot, mergeFetchedJob, type JobEventType, type JobRow, type JobsState } from './jobs-state';
import { applyPlaylistEvents, emptyPlaylists, playlistsFromSnapshot, type PlaylistEventType, type PlaylistsSnapshot, type PlaylistsState } from './playlists-state';

const ACTIVITY_PAGE = 50;

interface LiveData {
  jobs: JobsState;
  imports: ImportsState;
  playlists: PlaylistsState;
  activity: ActivityState;
  /** Each stream's own state: whether its snapshot has arrived, whether it is reconnecting. */
  status: Record<'jobs' | 'imports' | 'playlists' | 'activity', LiveStreamStatus>;
  loaded: Record<'jobs' | 'imports' | 'playlists' | 'activity', boolean>;
  loadOlderActivity: () => Promise<void>;
  /** Per playlist, the id of the last event that changed its membership (tracks added or dropped) since this tab opened. */
  membershipChanges: ReadonlyMap<string, string>;
}

/** What the server rendered each stream from; a stream it could not read subscribes from scratch. */
export interface InitialLiveData {
  jobs: LiveStart<{ jobs: JobRow[] }> | null;
  imports: LiveStart<{ imports: ImportRow[] }> | null;
  playlists: LiveStart<PlaylistsSnapshot> | null;
  activity: LiveStart<{ activity: ActivityRow[] }> | null;
}

const noInitialData: InitialLiveData = { jobs: null, imports: null, playlists: null, activity: null };

const LiveDataContext = createContext<LiveData | null>(null);

export function useLiveData(): LiveData {
  const value = useContext(LiveDataContext);
  if (!value) throw new Error('useLiveData must be used inside <LiveDataProvider>');
  return value;
}

export function LiveDataProvider({ children, initial = noInitialData }: { children: ReactNode; initial?: InitialLiveData }) {
  const utils = api.useUtils();
  const client = utils.client;
  const toast = useToast();
  const [jobs, setJobs] = useState<JobsState>(() => (initial.jobs ? jobsFromSnapshot(initial.jobs.snapshot.jobs) : new Map()));
  const [imports, setImports] = useState<ImportsState>(() => (initial.imports ? importsFromSnapshot(initial.imports.snapshot.imports) : new Map()));
  const [playlists, setPlaylists] = useState<PlaylistsState>(() => (initial.playlists ? playlistsFromSnapshot(initial.playlists.snapshot) : emptyPlaylists));
  const [activity, setActivity] = useState<ActivityState>(() => (initial.activity ? activityFromSnapshot(initial.activity.snapshot.activity, ACTIVITY_PAGE) : emptyActivity));
  const [loaded, setLoaded] = useState(() => ({ jobs: Boolean(initial.jobs), imports: Boolean(initial.imports), playlists: Boolean(initial.playlists), activity: Boolean(initial.activity) }));
  // Changes each time a playlist's membership changes (playlist_tracks_changed), so its page reads its tracks and history again.
  const [membershipChanges, setMembershipChanges] = useState<ReadonlyMap<string, string>>(() => new Map());
  const { generation } = useLiveConnection();
  const [shownGeneration, setShownGeneration] = useState(generation);
  if (shownGeneration !== generation) {
    setShownGeneration(generation);
    setJobs(new Map());
    setImports(new Map());
    setPlaylists(emptyPlaylists);
    setActivity(emptyActivity);
    setMembershipChanges(new Map());
    setLoaded({ jobs: false, imports: false, playlists: false, activity: false });
  }
  const markLoaded = useCallback((stream: keyof typeof loaded) => setLoaded((current) => (current[stream] ? current : { ...current, [stream]: true })), []);
  const playlistNames = useRef(new Map<string, string>());
  playlistNames.current = new Map([...playlists.playlists.values()].map((playlist) => [playlist.id, playlist.name || playlist.spotifyId]));
  // Ids first seen through an event (created after the snapshot): their rows are fetched once.
  const knownJobs = useRef(new Set<string>(initial.jobs?.snapshot.jobs.map((job) => job.id)));
  const knownImports = useRef(new Set<string>(initial.imports?.snapshot.imports.map((row) => row.id)));
  const fillInJobs = (events: Envelope<JobEventType>[]) => {
    for (const jobId of new Set(events.map((event) => event.data.jobId))) {
      if (knownJobs.current.has(jobId)) continue;
      knownJobs.current.add(jobId);
      utils.jobs.get.fetch({ id: jobId }).then((job) => setJobs((current) => mergeFetchedJob(current, job)), () => {});
    }
  };
  const fillInImports = (events: Envelope<ImportEventType>[]) => {
    for (const importId of new Set(events.map((event) => event.data.importId))) {
      if (knownImports.current.has(importId)) continue;
      knownImports.current.add(importId);
      utils.imports.get.fetch({ importId }).then((row) => setImports((current) => mergeFetchedImport(current, row)), () => {});
    }
  };
  const nameOf = (playlistId: string | null | undefined) => (playlistId ? (playlistNames.current.get(playlistId) ?? 'a playlist') : 'a set of tracks');

  const jobsStream = useLiveStream<JobEventType, { jobs: JobRow[] }>(
    'jobs',
    (lastEventId, observer) => client.jobStatus.subscribe({ lastEventId }, observer),
    {
      onSnapshot: (snapshot) => {
        setJobs(jobsFromSnapshot(snapshot.jobs));
        knownJobs.current = new Set(snapshot.jobs.map((job) => job.id));
        markLoaded('jobs');
      },
      onEvents: (events) => {
        setJobs((current) => applyJobEvents(current, events));
        fillInJobs(events);
        for (const event of events) {
          if (event.type !== 'job_status_changed') continue;
          if (event.data.to === 'completed') toast({ tone: 'success', title: 'Enrichment finished', body: `Job for ${nameOf(event.data.playlistId)} completed.` });
          if (event.data.to === 'failed' && !event.data.retryAt)
            toast({ tone: 'error', title: 'Enrichment failed', body: `${nameOf(event.data.playlistId)}: ${event.data.error ?? 'no reason given'}` });
        }
      },
    },
    { startFrom: initial.jobs?.position },
  );

  const importsStream = useLiveStream<ImportEventType, { imports: ImportRow[] }>(
    'imports',
    (lastEventId, observer) => client.importProgress.subscribe({ lastEventId }, observer),
    {
      onSnapshot: (snapshot) => {
        setImports(importsFromSnapshot(snapshot.imports));
        knownImports.current = new Set(snapshot.imports.map((row) => row.id));
        markLoaded('imports');
      },
      onEvents: (events) => {
        setImports((current) => applyImportEvents(current, events));
        fillInImports(events);
        for (const event of events as Envelope<ImportEventType>[]) {
          if (event.type !== 'bulk_import_finished') continue;
          const { status, created, duplicates, failed, error } = event.data;
          toast({
            tone: status === 'completed' ? (failed > 0 ? 'info' : 'success') : status === 'cancelled' ? 'info' : 'error',
            title: `Import ${status}`,
            body: error ?? `${created} added, ${duplicates} duplicates, ${failed} failed rows.`,
          });
        }
      },
    },
    { startFrom: initial.imports?.position },
  );

  const playlistsStream = useLiveStream<PlaylistEventType, PlaylistsSnapshot>(
    'playlists',
    (lastEventId, observer) => client.playlistUpdates.subscribe({ lastEventId }, observer),
    {
      onSnapshot: (snapshot) => {
        setPlaylists(playlistsFromSnapshot(snapshot));
        markLoaded('playlists');
      },
      onEvents: (events) => {
        setPlaylists((current) => applyPlaylistEvents(current, events));
        const changed = new Map<string, string>();
        for (const event of events) {
          if (event.type === 'playlist_error')
            toast({ tone: 'error', title: event.data.playlistId ? `Problem with ${nameOf(event.data.playlistId)}` : 'Playlist could not be added', body: event.data.message });
          if (event.type === 'playlist_tracks_changed') changed.set(event.data.playlistId, event.id);
        }
        if (changed.size > 0) {
          setMembershipChanges((current) => new Map([...current, ...changed]));
          for (const playlistId of changed.keys()) void utils.playlists.history.invalidate({ id: playlistId });
        }
      },
    },
    { startFrom: initial.playlists?.position },
  );

  const activityStream = useLiveStream<'activity_logged', { activity: ActivityRow[] }>(
    'activity',
    (lastEventId, observer) => client.activityFeed.subscribe({ lastEventId }, observer),
    {
      onSnapshot: (snapshot) => {
        setActivity(activityFromSnapshot(snapshot.activity, ACTIVITY_PAGE));
        markLoaded('activity');
      },
      onEvents: (events) => setActivity((current) => applyActivityEvents(current, events)),
    },
    { startFrom: initial.activity?.position },
  );

  const activityCursor = activity.olderCursor;
  const loadOlderActivity = useCallback(async () => {
    if (!activityCursor) return;
    const page = await utils.activity.list.fetch({ limit: ACTIVITY_PAGE, cursor: activityCursor });
    setActivity((current) => appendOlderActivity(current, page));
  }, [activityCursor, utils]);

  const value = useMemo<LiveData>(
    () => ({
      jobs,
      imports,
      playlists,
      activity,
      loaded,
      status: { jobs: jobsStream.status, imports: importsStream.status, playlists: playlistsStream.status, activity: activityStream.status },
      loadOlderActivity,
      membershipChanges,
    }),
    [jobs, imports, playlists, activity, loaded, jobsStream.status, importsStream.status, playlistsStream.status, activityStream.status, loadOlderActivity, membershipChanges],
  );
  return <LiveDataContext.Provider value={value}>{children}</LiveDataContext.Provider>;
}
