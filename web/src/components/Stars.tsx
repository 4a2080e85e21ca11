/** An XMP rating: 1–5 stars, 0 unrated, −1 rejected. */
export function Stars({ rating }: { rating: number }) {
  if (rating < 0) return <span className="muted">rejected</span>;
  const value = Math.max(0, Math.min(5, Math.round(rating)));
  if (value === 0) return <span className="muted">unrated</span>;
  return (
    <span className="stars" role="img" aria-label={`${value} of 5 stars`} title={`${value} of 5`}>
      {Array.from({ length: 5 }, (_, i) => (
        <span key={i} className={i < value ? 'star star-on' : 'star'} aria-hidden="true">
          ★
        </span>
      ))}
    </span>
  );
}
