/**
 * How to reach a songwriter, checked at the edge: an email address, Instagram / TikTok / X
 * handles (stored without the "@"), a website. An empty string clears that handle, so a full
 * replacement can drop one; what is stored never holds an empty value.
 */
import { z } from 'zod';
import type { ContactHandles } from '~/server/songwriters/types';

const SOCIAL_HANDLE = /^@?[A-Za-z0-9._]{1,30}$/;

const social = (aSite: string) =>
  z
    .string()
    .trim()
    .refine((text) => text === '' || SOCIAL_HANDLE.test(text), `must be ${aSite} handle: up to 30 letters, digits, "." or "_", with or without a leading "@"`)
    .transform((text) => text.replace(/^@/, ''));

const email = z
  .string()
  .trim()
  .max(254, 'must be an email address of at most 254 characters')
  .refine((text) => text === '' || z.email().safeParse(text).success, 'must be an email address, like name@example.com');

const website = z
  .string()
  .trim()
  .max(2000, 'must be a web address of at most 2,000 characters')
  .refine((text) => text === '' || isWebAddress(text), 'must be a web address starting with http:// or https://');

function isWebAddress(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Handles as a person sends them (`''` clears one), as they are stored (none empty). */
export const contactHandles = z
  .object({ email, instagram: social('an Instagram'), tiktok: social('a TikTok'), x: social('an X'), website })
  .partial()
  .strict()
  .transform((handles): ContactHandles => Object.fromEntries(Object.entries(handles).filter(([, value]) => value !== '')));
