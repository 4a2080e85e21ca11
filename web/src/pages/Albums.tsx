// Placeholder until this page is built (issue 6 in progress).
export function AlbumsPage() {
  return (
    <main className="panel">
      <h1>Albums</h1>
      
    </main>
  );
}
