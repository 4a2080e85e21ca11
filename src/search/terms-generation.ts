// A count of the changes to the search terms made in this process: what reads the terms (query understanding's
// names) keeps a copy only as long as the count has not moved, so that a person named a moment ago is understood
// at once. Other processes' changes are picked up when the copy expires.
let generation = 0;

export function termsChanged(): void {
  generation++;
}

export function termsGeneration(): number {
  return generation;
}
