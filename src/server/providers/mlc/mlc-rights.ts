/**
 * The MLC (the US Mechanical Licensing Collective) public API as the rights provider.
 *
 * - The work behind a recording: POST /search/recordings with `{ isrc }` gives the recordings
 *   The MLC holds with that ISRC and each one's song code (`mlcsongCode`). Without an ISRC, or
 *   when it finds none, the same search with `{ title, artist }`, keeping only a recording whose
 *   title and artist match ours (the search is loose); then, when phase 2 found songwriters,
 *   POST /search/songcode with `{ title, writers }`, keeping a work whose title matches.
 * - The work itself: GET /work/id/{mlcSongCode} gives its ISWC, title, writers (names, IPI, role
 *   code) and publishers (name, IPI, collection share, and the administrators that collect for them).
 *
 * A search that finds nothing, or a 404, is "no work" (null), never an error. Every call carries
 * the bearer token (mlc-token.ts) and goes through the shared HTTP client: the provider's rate
 * limiter, Retry-After on 429, retries on 5xx and timeouts, one re-mint on 401.
 */
import type { ZodType } from 'zod';
import type { BearerTokenSource } from '../access-token-cache';
import type { ProviderHttpClient } from '../http-client';
import { notFoundAsNull } from '../not-found-as-null';
import type { RightsHolder, RightsProvider, RightsPublisher, RightsQuery, RightsWriter, TrackRights } from '../types';
import { mlcRecordingsSchema, mlcSongCodesSchema, mlcWorkSchema, type MlcHolder, type MlcWork } from './mlc-schemas';

export interface MlcRightsOptions {
  http: ProviderHttpClient;
  auth: BearerTokenSource;
  baseUrl: string;
}

export class MlcRights implements RightsProvider {
  readonly name = 'mlc';

  constructor(private readonly options: MlcRightsOptions) {}

  async lookupWork(query: RightsQuery, signal?: AbortSignal): Promise<TrackRights | null> {
    const songCode = (await this.songCodeByIsrc(query, signal)) ?? (await this.songCodeByTitle(query, signal));
    if (!songCode) return null;
    const work = await notFoundAsNull(
      this.options.http.json(
        { url: this.url(`/work/id/${encodeURIComponent(songCode)}`), what: `work ${songCode}`, auth: this.options.auth },
        mlcWorkSchema,
        signal,
      ),
    );
    return work ? toRights(songCode, work) : null;
  }

  private async songCodeByIsrc(query: RightsQuery, signal?: AbortSignal): Promise<string | null> {
    const isrc = query.isrc?.replace(/[-\s]/g, '').toUpperCase();
    if (!isrc) return null;
    const found = await this.post('/search/recordings', { isrc }, `the recordings with ISRC ${isrc}`, mlcRecordingsSchema, signal);
    const exact = found.filter((row) => row.isrc?.replace(/[-\s]/g, '').toUpperCase() === isrc);
    return firstCode(exact.length > 0 ? exact : found);
  }

  private async songCodeByTitle(query: RightsQuery, signal?: AbortSignal): Promise<string | null> {
    const title = normalize(query.title);
    if (!title) return null;
    const recordings = await this.post(
      '/search/recordings',
      { title: query.title, artist: query.artist },
      `the recordings of "${query.title}" by ${query.artist}`,
      mlcRecordingsSchema,
      signal,
    );
    const artist = normalize(query.artist);
    const matching = recordings.filter((row) => normalize(row.title) === title && sameArtist(normalize(row.artist), artist));
    const byRecording = firstCode(matching);
    if (byRecording || !query.songwriters?.length) return byRecording;

    const writers = query.songwriters.slice(0, 5).map(splitName);
    const works = await this.post('/search/songcode', { title: query.title, writers }, `the works titled "${query.title}"`, mlcSongCodesSchema, signal);
    return works.find((work) => work.mlcSongCode && normalize(work.workTitle) === title)?.mlcSongCode ?? null;
  }

  private async post<T>(path: string, body: unknown, what: string, schema: ZodType<T[]>, signal?: AbortSignal): Promise<T[]> {
    const answer = await notFoundAsNull(
      this.options.http.json(
        { url: this.url(path), method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), what, auth: this.options.auth },
        schema,
        signal,
      ),
    );
    return answer ?? [];
  }

  private url(path: string): URL {
    return new URL(path, this.options.baseUrl);
  }
}

function firstCode(rows: ReadonlyArray<{ mlcsongCode?: string | null; mlcSongCode?: string | null }>): string | null {
  for (const row of rows) {
    const code = (row.mlcsongCode ?? row.mlcSongCode)?.trim();
    if (code) return code;
  }
  return null;
}

function toRights(songCode: string, work: MlcWork): TrackRights {
  const writers: RightsWriter[] = [];
  for (const writer of work.writers ?? []) {
    const name = [writer.writerFirstName, writer.writerLastName].map((part) => part?.trim()).filter(Boolean).join(' ');
    if (name) writers.push({ name, ipi: text(writer.writerIPI), role: text(writer.writerRoleCode) });
  }
  const publishers: RightsPublisher[] = [];
  for (const publisher of work.publishers ?? []) {
    const holder = toHolder(publisher);
    if (holder) publishers.push({ ...holder, administrators: (publisher.administrators ?? []).map(toHolder).filter((admin): admin is RightsHolder => admin !== null) });
  }
  return { workCode: work.mlcSongCode?.trim() || songCode, iswc: text(work.iswc), title: text(work.primaryTitle), writers, publishers };
}

function toHolder(holder: MlcHolder): RightsHolder | null {
  const name = text(holder.publisherName);
  if (!name) return null;
  const share = Array.isArray(holder.collectionShare) ? holder.collectionShare[0] : holder.collectionShare;
  return { name, ipi: text(holder.publisherIpiNumber), share: share ?? null };
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Case, accents, punctuation and "feat." parts aside, so "Señorita (feat. X)" matches "senorita". */
function normalize(value: string | null | undefined): string {
  return (value ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s*[([](feat|ft|with)\.?\s[^)\]]*[)\]]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Registries list several artists in one string ("A, B & C"): ours matching any of them is enough. */
function sameArtist(theirs: string, ours: string): boolean {
  if (!theirs || !ours) return false;
  return theirs === ours || ` ${theirs} `.includes(` ${ours} `) || ` ${ours} `.includes(` ${theirs} `);
}

/** The search wants first and last names apart; a one-word name is a last name. */
function splitName(name: string): { writerFirstName: string; writerLastName: string } {
  const parts = name.trim().split(/\s+/);
  const last = parts.pop() ?? '';
  return { writerFirstName: parts.join(' '), writerLastName: last };
}
