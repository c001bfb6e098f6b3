import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '~/server/api/inputs';
import { memberProcedure, protectedProcedure, router } from '~/server/api/trpc';
import { contactBoard } from '~/server/contacts/board';
import { ContactError, contactErrorStatus } from '~/server/contacts/contact-error';
import { contactHandles } from '~/server/contacts/contact-handles';
import { createContact } from '~/server/contacts/create-contact';
import { moveContact } from '~/server/contacts/move-contact';
import { noteContact } from '~/server/contacts/note-contact';
import { removeContact } from '~/server/contacts/remove-contact';
import { updateContact } from '~/server/contacts/update-contact';
import { contactStages } from '~/server/db/schema';

function asTRPCError(error: unknown): never {
  if (error instanceof ContactError) throw new TRPCError({ code: contactErrorStatus[error.code], message: error.message, cause: error });
  throw error;
}

const stage = z.enum(contactStages, `stage must be one of ${contactStages.join(', ')}`);
/** A member's user id, or null for nobody. */
const ownerId = id.nullable();

export const contactsRouter = router({
  /** Makes the songwriter a contact: a card at the end of `stage` ("new" unless told). */
  create: memberProcedure
    .input(z.object({ songwriterId: id, stage: stage.optional(), ownerId: ownerId.optional(), handles: contactHandles.optional() }).strict())
    .mutation(({ ctx, input }) => createContact(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** A new owner (null: nobody) and/or the full set of handles ('' clears one). */
  update: memberProcedure
    .input(
      z
        .object({ songwriterId: id, ownerId: ownerId.optional(), handles: contactHandles.optional() })
        .strict()
        .refine((input) => input.ownerId !== undefined || input.handles !== undefined, 'Send an owner, handles, or both'),
    )
    .mutation(({ ctx, input }) => updateContact(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** Moves the card to `stage`, before the card `beforeId` of that column (null or absent: at its end). */
  move: memberProcedure
    .input(z.object({ songwriterId: id, stage, beforeId: id.nullish() }).strict())
    .mutation(({ ctx, input }) => moveContact(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** Takes the songwriter off the contacts; their notes stay. */
  remove: memberProcedure
    .input(z.object({ songwriterId: id }).strict())
    .mutation(({ ctx, input }) => removeContact(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** A note on the songwriter (a contact or not yet); returns the note. */
  note: memberProcedure
    .input(z.object({ songwriterId: id, body: z.string().trim().min(1, 'Write something in the note').max(4000, 'Keep a note to 4,000 characters') }).strict())
    .mutation(({ ctx, input }) =>
      noteContact(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId, byName: ctx.caller.userId ? ctx.caller.name : null }).catch(asTRPCError),
    ),
  /** Every stage's column of cards in board order, by owner ("none": unowned) and name. */
  board: protectedProcedure
    .input(z.object({ ownerId: id.optional(), q: z.string().max(200, 'Keep the search to 200 characters').optional() }).strict().default({}))
    .query(({ ctx, input }) => contactBoard(ctx.runtime.db, ctx.workspaceId, input)),
});
