/**
 * Where a live stream starts in the browser when the server rendered its data: the snapshot the
 * page was rendered from, and the event id (the stream's position) it was taken at. The stream
 * resumes from that id (useLiveStream's `startFrom`), so nothing between render and subscribe is lost.
 */
export interface LiveStart<S> {
  position: string;
  snapshot: S;
}
