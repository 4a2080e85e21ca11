// Placeholder until this page is built (issue 6 in progress).
export function JobsPage() {
  return (
    <main className="panel">
      <h1>Jobs</h1>
      
    </main>
  );
}
