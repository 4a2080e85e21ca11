// The upload links this browser has opened (a share link that takes photos), remembered so that Share → Shoebox can
// offer them to a visitor who has no account: the files then go through the link's own upload route, as its
// "Add photos" button sends them. Only the link's token, title and owner's name are kept, in this browser alone.
const KEY = 'shoebox-upload-links';
/** The most links kept (the latest opened first). */
const MOST = 10;

export interface UploadLink {
  token: string;
  title: string;
  owner: string;
}

export function rememberedUploadLinks(): UploadLink[] {
  try {
    const kept = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(kept)) return [];
    return kept.filter((link): link is UploadLink => typeof link?.token === 'string' && typeof link.title === 'string' && typeof link.owner === 'string');
  } catch {
    return [];
  }
}

/** Remembers a link that takes photos, or forgets it when it no longer does (`allowUpload` false). */
export function rememberUploadLink(link: UploadLink, allowUpload: boolean): void {
  const others = rememberedUploadLinks().filter((kept) => kept.token !== link.token);
  const list = allowUpload ? [link, ...others].slice(0, MOST) : others;
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // storage full or switched off: the share page then offers no link, which it says
  }
}
