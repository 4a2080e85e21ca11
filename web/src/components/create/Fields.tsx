import { SIZES } from '../../client/create.js';

/** The image size, as one of the sizes most providers take. */
export function SizeField({ value, onChange, testId }: { value: string; onChange: (size: string) => void; testId?: string }) {
  return (
    <label className="create-field">
      Size
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        {SIZES.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** How many images, 1 to 4. */
export function CountField({ label, value, onChange, testId }: { label: string; value: number; onChange: (count: number) => void; testId?: string }) {
  return (
    <label className="create-field">
      {label}
      <select value={value} onChange={(event) => onChange(Number(event.target.value))} data-testid={testId}>
        {[1, 2, 3, 4].map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
