/**
 * Better Auth's refusals as sentences a person can act on. Its responses carry a code (branched
 * on here) and an English message in its own words ("organization"); ours say "workspace".
 */

/** The error half of a Better Auth client result. */
export interface AuthFailure {
  code?: string;
  message?: string;
  status: number;
  statusText?: string;
}

const sentences: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: 'Wrong email or password. Check both and try again.',
  USER_ALREADY_EXISTS: 'An account with this email already exists: sign in instead.',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'An account with this email already exists: sign in instead, or use another email.',
  INVALID_EMAIL: 'That does not look like an email address.',
  PASSWORD_TOO_SHORT: 'Choose a password of at least 8 characters.',
  PASSWORD_TOO_LONG: 'That password is too long: use at most 128 characters.',
  INVITATION_NOT_FOUND: 'This invitation has expired, was cancelled, or was already used. Ask for a new link.',
  YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION: 'This invitation is for another email address. Sign out, then sign up or sign in with the invited email.',
  USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION: 'That person is already a member of this workspace.',
  YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE: 'Only an owner can invite someone as owner.',
  YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION: 'Only admins and owners can invite people to this workspace.',
  YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER: 'Only an owner can change an owner’s role or make someone owner; admins manage the other roles.',
  YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER: 'Only admins and owners can remove members.',
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER: 'You are this workspace’s only owner: make someone else owner first, or delete the workspace.',
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER: 'A workspace needs an owner: make someone else owner before changing your own role.',
  YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION: 'Only admins and owners can rename this workspace.',
  YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION: 'Only an owner can delete this workspace.',
  YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION: 'Only admins and owners can cancel invitations.',
  ORGANIZATION_ALREADY_EXISTS: 'A workspace with that address already exists: try another name.',
  ORGANIZATION_SLUG_ALREADY_TAKEN: 'A workspace with that address already exists: try another name.',
  USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION: 'You are not a member of that workspace (any more).',
};

export function authErrorMessage(failure: AuthFailure): string {
  if (failure.status === 429) return 'Too many attempts from this address. Wait a minute, then try again.';
  const known = failure.code ? sentences[failure.code] : undefined;
  if (known) return known;
  if (failure.status === 401) return 'You are signed out: sign in again.';
  return failure.message || failure.statusText || `The server refused (HTTP ${failure.status}).`;
}

export class AuthRequestError extends Error {
  constructor(readonly failure: AuthFailure) {
    super(authErrorMessage(failure));
    this.name = 'AuthRequestError';
  }
}

/** A Better Auth client result's data, or an AuthRequestError with a readable message (for react-query). */
export async function unwrapAuth<T>(result: Promise<{ data: T; error: null } | { data: null; error: AuthFailure }>): Promise<T> {
  const { data, error } = await result;
  if (error) throw new AuthRequestError(error);
  return data as T;
}
