/**
 * Where each catalog event becomes visible in the UI. Typed against the catalog, so adding an
 * event type there fails compilation here until someone decides where a person will see it.
 * The reducers named below switch over their stream's event union, so each handles every type.
 */
import type { EventType } from '~/server/events/catalog';

export const eventSurfaces = {
  job_status_changed: 'jobs-state: job card status, attempt and error; toasts when a job completes or finally fails',
  enrichment_phase: 'jobs-state: the phase bar starts, completes or fails; "Phase n/4" on running jobs',
  batch_complete: 'jobs-state: done/total on the current phase bar',
  chartmetric_progress: 'jobs-state: "Chartmetric done/total" under the stats phase',
  track_status_changed: 'tracks-state: the status badge (and failure reason) of a row in the tracks grid',
  track_enriched: 'tracks-state: ISRC, label, popularity, streams and credits fill in on the row',
  activity_logged: 'activity-state: a new row at the top of the activity panel',
  playlist_updated: 'playlists-state: the playlist row and detail header change in place (or leave when removed)',
  playlist_error: 'playlists-state: the error under the playlist; a toast when it has no row yet',
  bulk_import_progress: 'imports-state: the import card counters, progress bar, rate and ETA',
  bulk_import_finished: 'imports-state: the import summary and failed-rows table; a toast',
  metric_update: 'playlists-state: enriched share, popularity and streams on the row and detail header',
  follower_count_changed: 'playlists-state: the followers figure on the row and detail header',
  analytics_updated: 'playlists-state: the dashboard numbers',
  tag_changed: 'explorer: tag chips re-read on the rows that carry the tag; the tags list (filter, manager, pickers) is read again',
  track_tags_changed: 'explorer: the tagged rows are re-read (chips change, rows that stop matching a tag filter are marked); track detail re-reads',
  track_noted: 'track detail: the note appears in its history',
  saved_view_changed: 'explorer: the saved views menu is read again (the owner only: another tab of theirs)',
  playlist_tracks_changed: "playlist page: the weekly history and the tracks grid are read again; explorer: the added and dropped rows are re-read",
  songwriter_score_changed: 'leads: the score, publisher status and totals change on the songwriters list, the contacts list and board cards; the songwriter page re-reads its breakdown',
  songwriter_merged: 'leads: the songwriters list re-reads; a merged record\'s page moves to the survivor; the songwriter page re-reads its aliases and history',
  contact_changed: 'leads: the card moves on the board (stage, place), the contacts list row and the songwriter page contact panel change',
  contact_noted: 'leads: the note appears on the songwriter page; the card\'s note count goes up',
} as const satisfies Record<EventType, string>;
