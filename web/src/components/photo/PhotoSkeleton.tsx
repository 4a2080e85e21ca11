// The photo page's layout in grey while the photo loads.
export function PhotoSkeleton() {
  return (
    <div className="photo-layout" aria-busy="true">
      <div className="photo-stage">
        <div className="preview" style={{ ['--ratio' as string]: 1.5 }}>
          <div className="preview-frame skeleton" />
        </div>
      </div>
      <aside className="photo-info">
        <div className="skeleton skeleton-line" style={{ width: '60%' }} />
        <div className="skeleton skeleton-line" />
        <div className="skeleton skeleton-line" />
      </aside>
    </div>
  );
}
