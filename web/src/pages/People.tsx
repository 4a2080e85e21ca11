// Placeholder until this page is built (issue 6 in progress).
export function PeoplePage() {
  return (
    <main className="panel">
      <h1>People</h1>
      
    </main>
  );
}
