// Placeholder until this page is built (issue 6 in progress).
export function DuplicatesPage() {
  return (
    <main className="panel">
      <h1>Duplicates</h1>
      
    </main>
  );
}
