import { useId, useState } from 'react';

interface Props {
  /** 1–5, or null / 0 for unrated. */
  value: number | null;
  onChange: (rating: number | null) => void;
  disabled?: boolean;
}

/**
 * Five stars to rate a photo: radio buttons underneath (arrow keys move, Tab leaves), so it is one stop for the
 * keyboard and reads as "3 of 5" to a screen reader. A click on the current star clears the rating.
 */
export function RatingInput({ value, onChange, disabled }: Props) {
  const name = useId();
  const [hover, setHover] = useState(0);
  const current = value && value > 0 ? Math.min(5, Math.round(value)) : 0;
  const lit = hover || current;
  return (
    <fieldset className="rating" data-testid="rating" data-rating={current} disabled={disabled} onMouseLeave={() => setHover(0)}>
      <legend className="visually-hidden">Rating</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label
          key={n}
          className={`rating-star${n <= lit ? ' rating-star-on' : ''}`}
          title={current === n ? 'Clear the rating' : `${n} of 5 (${n})`}
          onMouseEnter={() => setHover(n)}
        >
          <input
            type="radio"
            className="visually-hidden"
            name={name}
            value={n}
            checked={current === n}
            onChange={() => onChange(n)}
            onClick={() => {
              if (current === n) onChange(null);
            }}
            aria-label={`${n} star${n === 1 ? '' : 's'}`}
            data-testid={`rate-${n}`}
          />
          <span aria-hidden="true">★</span>
        </label>
      ))}
      <span className="rating-text" aria-hidden="true">
        {current ? `${current}/5` : 'Not rated'}
      </span>
    </fieldset>
  );
}
