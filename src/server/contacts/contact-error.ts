/** Why a contact request was refused; `contactErrorStatus` says which transport error each code is. */
export type ContactErrorCode =
  | 'SONGWRITER_NOT_FOUND'
  | 'SONGWRITER_MERGED'
  | 'CONTACT_NOT_FOUND'
  | 'CONTACT_EXISTS'
  | 'OWNER_NOT_MEMBER'
  | 'CARD_NOT_FOUND'
  | 'CARD_IN_OTHER_STAGE';

/** One table for the router and any route handler: the tRPC code of each refusal. */
export const contactErrorStatus = {
  SONGWRITER_NOT_FOUND: 'NOT_FOUND',
  SONGWRITER_MERGED: 'NOT_FOUND',
  CONTACT_NOT_FOUND: 'NOT_FOUND',
  CONTACT_EXISTS: 'CONFLICT',
  OWNER_NOT_MEMBER: 'BAD_REQUEST',
  CARD_NOT_FOUND: 'NOT_FOUND',
  // The board the person saw is out of date: someone moved that card meanwhile.
  CARD_IN_OTHER_STAGE: 'CONFLICT',
} as const satisfies Record<ContactErrorCode, 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST'>;

export class ContactError extends Error {
  constructor(
    readonly code: ContactErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContactError';
  }
}
