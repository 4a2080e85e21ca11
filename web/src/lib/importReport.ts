// An import's report (library/takeout/import.ts takeoutReport, the text `shoebox import --from …` prints) read back
// into its parts, so that the Import page shows headings with counts and lists instead of a block of monospace.

export interface ReportSection {
  /** "Without a sidecar (dates from the file alone)". */
  title: string;
  /** How many the report counts, more than it may list ("… and 12 more"). */
  count: number;
  items: string[];
  /** What the report leaves unlisted: "… and 12 more". */
  more: string | null;
}

export interface ReadReport {
  /** The sentences before the lists: counts, albums. */
  summary: string[];
  sections: ReportSection[];
}

const HEADING = /^(\S.*) \((\d+)\):$/u;

export function readReport(text: string): ReadReport {
  const read: ReadReport = { summary: [], sections: [] };
  let current: ReportSection | null = null;
  for (const line of text.split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      current = { title: heading[1]!, count: Number(heading[2]), items: [], more: null };
      read.sections.push(current);
    } else if (current && line.startsWith('  ')) {
      const item = line.slice(2);
      if (/^… and \d+ more$/u.test(item)) current.more = item;
      else current.items.push(item);
    } else if (line.trim()) {
      current = null;
      read.summary.push(line);
    }
  }
  return read;
}
