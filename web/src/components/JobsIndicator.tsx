// Placeholder until the jobs page is built (issue 6 in progress).
export function JobsIndicator() {
  return null;
}
