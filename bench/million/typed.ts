// Words people type into a photo search, held apart from the generator: written from what people look for in
// their own photos (things, events, seasons, places, pets), not drawn from the library's vocabularies, so that
// some match many photos, some few and some none, as in a real library. Not to be tuned to the figures.
export const TYPED = `
beach dog cat sunset birthday snow mountains christmas car cake wedding kids baby food hiking lake concert
party flowers garden paris london beer coffee pizza bike boat train plane airport museum church castle tree
forest river waterfall bridge city night fireworks halloween easter graduation school football soccer tennis
swimming pool camping tent campfire picnic breakfast dinner lunch restaurant wine sea ocean island sand
clouds rain winter summer autumn spring family friends grandma grandpa mom dad selfie group portrait
screenshot receipt document passport ticket menu map sign street road house kitchen garden bedroom office
horse bird birds fish cow sheep zoo aquarium elephant lion butterfly flower roses tulips sunflower bread
cheese fruit apple strawberry ice cream chocolate cookies pancakes sushi burger skiing snowboard surfing
climbing running marathon bicycle motorcycle bus truck tractor farm barn fence bench statue tower fountain
market shop festival parade costume mask dress hat shoes glasses guitar piano drums book newspaper phone
laptop computer toy toys lego puzzle game christmas tree lights candle candles gift presents balloon
`
  .split(/\s+/)
  .filter(Boolean);
