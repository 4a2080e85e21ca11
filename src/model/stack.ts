// The vocabulary of stacks, shared by the rules (library/stacks/rules.ts), the API and the web app.

/** Why a photo is in its stack. */
export const STACK_REASONS = ['raw-jpeg', 'heic-jpeg', 'edited', 'burst-id', 'burst-name', 'burst-time', 'by-user'] as const;
export type StackReason = (typeof STACK_REASONS)[number];

/** What a stack is: raw+JPEG, HEIC+JPEG, an original and its edits, a burst, the user's own, or more than one of these. */
export const STACK_KINDS = ['raw-jpeg', 'heic-jpeg', 'edits', 'burst', 'by-user', 'mixed'] as const;
export type StackKind = (typeof STACK_KINDS)[number];
