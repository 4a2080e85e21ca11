// The words a person reads on the corpus's four text photos (albums/text), for OCR's tests and bench: every word
// legible at a glance on the photo at screen size, not the fine print under the beer names or a sign cut by the
// frame. Written by looking at the photos; CJK words as a reader would search them.
export const OCR_TRUTH: Readonly<Record<string, readonly string[]>> = {
  'craft-beer.jpg': [
    'MAIN', 'STAY', 'SEASONAL', 'BARREL', 'AGED', 'WEEKEND', 'WARRIOR', 'PALE', 'ALE', 'BIG', 'BRIGHT', 'IPA', 'HOPADILLO',
    'RODEO', 'CLOWN', 'KR&D', 'SERIES', 'ENGLISH', 'STYLE', 'BARLEYWINE', 'SESSION', 'HOP', 'DELUSION', 'IMPERIAL',
    'MOTHER-IN-LAGER', 'YULE', 'EYE', 'OUT', 'B.B.H.', 'BBH', 'ESPRESSO', 'COLLABORATION', 'GOODNIGHT', 'LOVING', 'MAIBOCK',
    'F.U.N.', 'BEER', 'IS',
  ],
  'handwritten-notes.jpg': [
    'IN', 'PROGRESS', 'DESIGN', 'FEEDBACK', 'FORM', 'WHITE', 'CODE', 'RELEASE', 'FIX', 'DISCUSS', 'CTA', 'TO', 'INCLUDE',
    'PUBLISH', 'PRICING', 'PAGE', 'DO', 'IMPORTANT', 'CREATE', 'PLATFORM', 'STORE', 'REMEMBER', 'THIS', 'USER', 'STORY',
    'AS', 'AM', 'ABLE', 'SEARCH', 'FOR', 'DOCUMENTS', 'SO', 'CAN', 'FIND', 'THEM', 'MORE', 'EASILY', 'COMPLETE', 'EXISTING',
  ],
  'japanese-shop.jpg': ['KIRIN', 'キリン', '一番', '搾り', '取扱店', '営業中'],
  'book-beside-flowers.jpg': [
    '161', 'müspet', 'kelimeler', 'arşivi', 'dost', 'Yanında', 'rahatça', 'sesli', 'düşünebildiğin', 'kendinde',
    'unuttuğunu', 'hatırlatan', 'bedeni', 'ile', 'değil', 'samimiyetiyle', 've', 'hem', 'kara', 'günde', 'iyi', 'olan',
    'yedek', 'kalplere', 'verilen', 'isim', 'İzlendiğini', 'düşünmek', 'bir', 'delilik', 'belirtisidir', 'de',
    'izlenmediğini', 'nedir', 'Futbolcular', 'karambolde', 'tekmeliyor', 'trolcüler', 'deniz', 'siyahken', 'avlanıyor',
    'çocuklar', 'öğretmen', 'sınıftan', 'çıkar', 'çıkmaz', 'çıldırıyor', 'pazarcılar', 'tezgahın', 'dehlizlerinde',
    'gizliyorsa', 'çürük', 'elmayı', 'Belki', 'belirtisi', 'kendisidir', 'deliliğin', 'Sevgili', 'Allah', 'herşeyi',
    'bilir', 'Ali', 'Ural', 'Posta', 'Kutusundaki', 'Mızıka',
  ],
};

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Upper case, accents and punctuation gone, Turkish dotless and dotted i as i: how search compares words. */
export function foldWord(word: string): string {
  return word
    .replace(/ı/g, 'i')
    .replace(/İ/g, 'I')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Which of the photo's words the text has: a word as one of its whitespace-separated tokens; CJK anywhere in it. */
export function wordsRead(text: string, truth: readonly string[]): { read: string[]; missed: string[] } {
  const tokens = new Set(text.split(/\s+/).map(foldWord).filter(Boolean));
  const flat = text.replace(/\s+/g, '');
  const read: string[] = [];
  const missed: string[] = [];
  for (const word of truth) {
    const found = CJK.test(word) ? flat.includes(word) : tokens.has(foldWord(word));
    (found ? read : missed).push(word);
  }
  return { read, missed };
}
