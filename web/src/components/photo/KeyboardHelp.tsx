// The photo page's keyboard shortcuts, listed in a disclosure at the foot of the info panel.
const SHORTCUTS: [string, string][] = [
  ['← →', 'previous / next photo'],
  ['Esc', 'back to the list'],
  ['+ −', 'zoom in / out (also the wheel, a pinch, a double-click)'],
  ['0', 'fit the photo'],
  ['F', 'favourite'],
  ['1 – 5', 'rate'],
];

export function KeyboardHelp() {
  return (
    <details className="info-section keyboard-help">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
