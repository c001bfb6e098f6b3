/**
 * What the contacts page reads for its URL (shared by the server page and the browser): which view
 * (`view=list`, else the board), and the part of the leads filter the board query takes (owner and
 * search; the board applies score band, publisher status and stages to the cards it holds).
 */
import type { LeadsQuery } from '../songwriters/leads-query';

export type ContactsView = 'board' | 'list';

export const contactsViewOf = (value: string | string[] | undefined | null): ContactsView => (value === 'list' ? 'list' : 'board');

export function boardInputOf(query: LeadsQuery): { ownerId?: string; q?: string } {
  return { ...(query.ownerId ? { ownerId: query.ownerId } : {}), ...(query.q ? { q: query.q } : {}) };
}
