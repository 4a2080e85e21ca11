// Text from outside (an archive's titles and descriptions, an error's message) made fit to keep: PostgreSQL's text
// refuses NUL — a statement carrying one fails, and so did the import that tried to record that failure — and other
// control characters are noise in a title.

const CONTROLS = /[\u0000-\u001f\u007f]/gu;
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu;

/** The text without control characters (with `lines`, tabs and line breaks stay), trimmed. Pure. */
export function withoutControls(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(options.lines ? CONTROLS_BUT_LINES : CONTROLS, '').trim();
}

/** A size as people read it in a message: MB from a megabyte on, else bytes. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${bytes} bytes`;
}
