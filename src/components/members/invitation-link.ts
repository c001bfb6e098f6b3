/** The link an invited person opens: it signs them up into the workspace, or lets them accept once signed in. */
export function invitationLink(invitationId: string): string {
  return `${window.location.origin}/invite/${invitationId}`;
}
