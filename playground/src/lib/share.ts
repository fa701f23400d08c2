// SHARE LINKS
//
// The contract text and every setting travel in the URL's fragment, compressed (deflate-raw) and
// base64url-encoded: nothing goes to a server, and the fragment is not even sent to this site.

export async function encodeState(state: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = "";
  for (const b of packed) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function decodeState<T>(text: string): Promise<T | undefined> {
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return JSON.parse(await new Response(stream).text()) as T;
  } catch {
    return undefined;
  }
}

export const SHARE_KEY = "s";

/** The state in the current location's fragment (`#s=…`), if any. */
export async function stateFromLocation<T>(): Promise<T | undefined> {
  const params = new URLSearchParams(location.hash.slice(1));
  const packed = params.get(SHARE_KEY);
  return packed ? decodeState<T>(packed) : undefined;
}

export async function shareUrl(state: unknown): Promise<string> {
  const url = new URL(location.href);
  url.hash = `${SHARE_KEY}=${await encodeState(state)}`;
  return url.href;
}
