// Placeholder until this page is built (issue 6 in progress).
export function AlbumPage({ id }: { id: string }) {
  return (
    <main className="panel">
      <h1>Album</h1>
      <p className="muted">{id}</p>
    </main>
  );
}
