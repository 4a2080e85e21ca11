// Placeholder until this page is built (issue 6 in progress).
export function SearchPage() {
  return (
    <main className="panel">
      <h1>Search</h1>
      
    </main>
  );
}
