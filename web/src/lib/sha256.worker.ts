// Hashes files off the page's thread (Web Crypto's SHA-256), one message per file: { id, file } → { id, sha256 } or
// { id, error }.
interface Asked {
  id: number;
  file: File;
}

self.onmessage = async (event: MessageEvent<Asked>) => {
  const { id, file } = event.data;
  try {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    const sha256 = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
    self.postMessage({ id, sha256 });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
