interface Props {
  favorite: boolean;
  onToggle: () => void;
  disabled?: boolean;
}

/** The heart: a toggle button (aria-pressed), filled when the photo is a favourite. */
export function FavoriteToggle({ favorite, onToggle, disabled }: Props) {
  return (
    <button
      type="button"
      className={`button favorite-toggle${favorite ? ' favorite-on' : ''}`}
      aria-pressed={favorite}
      onClick={onToggle}
      disabled={disabled}
      title={favorite ? 'Remove from favourites (F)' : 'Add to favourites (F)'}
      data-testid="favorite"
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path
          d="M12 20.5l-1.3-1.2C5.9 14.9 3 12.2 3 8.9 3 6.1 5.1 4 7.8 4c1.6 0 3.2.8 4.2 2 1-1.2 2.6-2 4.2-2 2.7 0 4.8 2.1 4.8 4.9 0 3.3-2.9 6-7.7 10.4L12 20.5z"
          fill={favorite ? 'currentColor' : 'none'}
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinejoin="round"
        />
      </svg>
      <span>Favourite</span>
    </button>
  );
}
