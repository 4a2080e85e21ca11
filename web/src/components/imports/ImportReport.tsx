// An import's report as a page shows it: what came in, counted, then each list under its heading with its count —
// the same report `shoebox import --from …` prints (read back by lib/importReport.ts), not a block of monospace.
import { formatCount } from '../../lib/format.js';
import { readReport } from '../../lib/importReport.js';

/** The counts an import records (api/imports.ts outcome), in the order a reader wants them, with their words. */
const COUNTS: { key: string; label: string }[] = [
  { key: 'added', label: 'added' },
  { key: 'videos', label: 'of them videos' },
  { key: 'alreadyThere', label: 'already in the library' },
  { key: 'copies', label: 'copies in several folders' },
  { key: 'failed', label: 'failed' },
  { key: 'favourites', label: 'favourites' },
  { key: 'archived', label: 'archived' },
  { key: 'trashed', label: 'to the trash' },
  { key: 'albums', label: 'albums' },
  { key: 'withPeople', label: 'with people named' },
];

/** Past this many, a list starts folded. */
const OPEN_UP_TO = 10;

export function ImportReport({ report, outcome }: { report: string; outcome: Record<string, number> | null }) {
  const { summary, sections } = readReport(report);
  const shown = COUNTS.filter(({ key }) => outcome?.[key] !== undefined && (outcome[key]! > 0 || key === 'added' || key === 'failed'));
  return (
    <div className="import-report" data-testid="import-report">
      {shown.length > 0 ? (
        <dl className="import-counts">
          {shown.map(({ key, label }) => (
            <div key={key} className={`import-count${key === 'failed' && outcome![key]! > 0 ? ' import-count-bad' : ''}`} data-testid={`import-count-${key}`}>
              <dt>{label}</dt>
              <dd>{formatCount(outcome![key]!)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {summary.map((line) => (
        <p key={line} className="import-summary">
          {line}
        </p>
      ))}
      {sections.map((section) => (
        <details key={section.title} className="import-section" open={section.count <= OPEN_UP_TO}>
          <summary>
            <h4>{section.title}</h4> <span className="import-section-count">{formatCount(section.count)}</span>
          </summary>
          <ul>
            {section.items.map((item, index) => (
              <li key={index}>{item}</li>
            ))}
            {section.more ? <li className="muted">{section.more}</li> : null}
          </ul>
        </details>
      ))}
    </div>
  );
}
