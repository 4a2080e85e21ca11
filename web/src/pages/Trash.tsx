// Placeholder until this page is built (issue 6 in progress).
export function TrashPage() {
  return (
    <main className="panel">
      <h1>Trash</h1>
      
    </main>
  );
}
