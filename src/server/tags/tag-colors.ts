/** The colours a tag may have: names, not hex, so the UI maps each to its own palette (light and dark). */
export const tagColors = ['slate', 'red', 'amber', 'emerald', 'sky', 'indigo', 'violet', 'pink'] as const;
export type TagColor = (typeof tagColors)[number];
