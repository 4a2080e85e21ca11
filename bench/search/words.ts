// Fixed word lists for the synthetic search library (bench/search/generate.ts). The made-up part of the
// vocabularies comes from syllables in generate.ts; these are the real words that sit at the top of the Zipf
// ranks, so that common words really are common.

/** Real English words for captions and OCR text, most common first (stop words excluded: templates add them). */
export const COMMON_WORDS = `
photo people man woman child children dog cat tree trees sky water beach sea sunset house street city car road
building table food window garden mountain snow river lake park flowers flower grass field family friends
girl boy baby birthday party cake wedding dinner lunch breakfast coffee wine beer bottle glass plate bread
light night day morning evening summer winter spring autumn rain clouds sun moon stars bridge boat ship train
station airport plane bus bike bicycle horse bird birds fish forest hill rock rocks stone wall door chair sofa
room kitchen bedroom bathroom office desk computer phone book books paper sign text menu map ticket poster
shop store market restaurant cafe bar hotel church castle museum tower square fountain statue garden path
trail hike camping tent fire campfire picnic holiday vacation trip travel tour view landscape panorama
portrait selfie group crowd concert stage music guitar piano game ball football soccer tennis basketball
swimming pool kids toy toys school class teacher student graduation christmas halloween easter gift gifts
present tree lights candle candles dress shirt hat shoes bag jacket coat umbrella glasses red blue green
yellow white black orange purple pink brown golden old new small big little young happy smiling sitting
standing walking running playing eating drinking reading looking holding waiting wooden modern ancient
beautiful bright dark sunny cloudy snowy foggy rainy wet dry empty busy quiet colorful close distant
front side back top bottom inside outside near large tall long short wide narrow high low fresh hot cold
`
  .split(/\s+/)
  .filter(Boolean);

/** Real tag words (zero-shot CLIP labels), most common first. */
export const TAG_WORDS = `
outdoor people nature sky tree landscape indoor portrait city building water food beach sunset animal dog
car street mountain plant flower architecture night snow cat child baby family group selfie party
document text screenshot receipt sign vehicle road bridge boat sea lake river forest park garden field
grass cloud sun rain winter summer autumn spring holiday travel vacation museum church castle tower
monument statue art painting drawing sculpture graffiti market shop restaurant kitchen dinner breakfast
dessert cake coffee drink wine beer fruit vegetable pizza bread meat fish bird horse cow sheep insect
butterfly bee tiger lion elephant zoo aquarium concert stage music instrument guitar piano sport football
tennis swimming skiing hiking cycling running climbing camping tent campfire bicycle motorcycle train
airplane airport bus truck harbour lighthouse island desert canyon waterfall cave volcano glacier valley
hill rock stone sand wave surf pool fountain wedding birthday christmas halloween graduation ceremony
festival fireworks crowd toy game computer phone book newspaper poster map menu ticket clock window door
stairs room bedroom bathroom office classroom library hospital farm barn fence bench umbrella hat dress
costume mask reflection shadow silhouette macro closeup aerial underwater panorama blackandwhite vintage
`
  .split(/\s+/)
  .filter(Boolean);

export const FIRST_NAMES = `
Emma Liam Olivia Noah Ava Elijah Sophia Lucas Mia Mason Amelia Ethan Harper Logan Evelyn James Abigail
Aiden Emily Jacob Ella Michael Chloe Daniel Grace Henry Zoe Jackson Lily Sebastian Hannah Owen Nora
Samuel Leah Matthew Claire Joseph Lucy David Anna Carter Sarah Wyatt Julia John Alice Leo Marie Pierre
Camille Hugo Louise Jules Ines Paul Lea Arthur Chiara Marco Giulia Lukas Sofia Mateo Valentina Yuki Hana
Kenji Aiko Ravi Priya Arjun Ananya Omar Layla Tariq Amira Kofi Ama Sven Astrid Nils Freya Pavel Olga
`
  .split(/\s+/)
  .filter(Boolean);

export const LAST_NAMES = `
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson
Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King
Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres
Parker Collins Edwards Stewart Morris Murphy Cook Rogers Dubois Moreau Laurent Bernard Rossi Bianchi
Schmidt Schneider Fischer Weber Tanaka Suzuki Sato Patel Sharma Khan Haddad Mensah Larsen Nilsson Novak
`
  .split(/\s+/)
  .filter(Boolean);

/** [city, state, country, country code, latitude, longitude, UTC offset], most photographed first. */
export const PLACES: [string, string, string, string, number, number, string][] = [
  ['Lyon', 'Auvergne-Rhône-Alpes', 'France', 'FR', 45.764, 4.8357, '+01:00'],
  ['Paris', 'Île-de-France', 'France', 'FR', 48.8566, 2.3522, '+01:00'],
  ['Annecy', 'Auvergne-Rhône-Alpes', 'France', 'FR', 45.8992, 6.1294, '+01:00'],
  ['Grenoble', 'Auvergne-Rhône-Alpes', 'France', 'FR', 45.1885, 5.7245, '+01:00'],
  ['Marseille', "Provence-Alpes-Côte d'Azur", 'France', 'FR', 43.2965, 5.3698, '+01:00'],
  ['Nice', "Provence-Alpes-Côte d'Azur", 'France', 'FR', 43.7102, 7.262, '+01:00'],
  ['Bordeaux', 'Nouvelle-Aquitaine', 'France', 'FR', 44.8378, -0.5792, '+01:00'],
  ['Chamonix-Mont-Blanc', 'Auvergne-Rhône-Alpes', 'France', 'FR', 45.9237, 6.8694, '+01:00'],
  ['Geneva', 'Geneva', 'Switzerland', 'CH', 46.2044, 6.1432, '+01:00'],
  ['Zurich', 'Zurich', 'Switzerland', 'CH', 47.3769, 8.5417, '+01:00'],
  ['Zermatt', 'Valais', 'Switzerland', 'CH', 46.0207, 7.7491, '+01:00'],
  ['London', 'England', 'United Kingdom', 'GB', 51.5072, -0.1276, '+00:00'],
  ['Edinburgh', 'Scotland', 'United Kingdom', 'GB', 55.9533, -3.1883, '+00:00'],
  ['Brighton', 'England', 'United Kingdom', 'GB', 50.8225, -0.1372, '+00:00'],
  ['Dublin', 'Leinster', 'Ireland', 'IE', 53.3498, -6.2603, '+00:00'],
  ['Barcelona', 'Catalonia', 'Spain', 'ES', 41.3874, 2.1686, '+01:00'],
  ['Madrid', 'Madrid', 'Spain', 'ES', 40.4168, -3.7038, '+01:00'],
  ['Seville', 'Andalusia', 'Spain', 'ES', 37.3891, -5.9845, '+01:00'],
  ['Lisbon', 'Lisbon', 'Portugal', 'PT', 38.7223, -9.1393, '+00:00'],
  ['Porto', 'Porto', 'Portugal', 'PT', 41.1579, -8.6291, '+00:00'],
  ['Rome', 'Lazio', 'Italy', 'IT', 41.9028, 12.4964, '+01:00'],
  ['Florence', 'Tuscany', 'Italy', 'IT', 43.7696, 11.2558, '+01:00'],
  ['Venice', 'Veneto', 'Italy', 'IT', 45.4408, 12.3155, '+01:00'],
  ['Milan', 'Lombardy', 'Italy', 'IT', 45.4642, 9.19, '+01:00'],
  ['Naples', 'Campania', 'Italy', 'IT', 40.8518, 14.2681, '+01:00'],
  ['Berlin', 'Berlin', 'Germany', 'DE', 52.52, 13.405, '+01:00'],
  ['Munich', 'Bavaria', 'Germany', 'DE', 48.1351, 11.582, '+01:00'],
  ['Hamburg', 'Hamburg', 'Germany', 'DE', 53.5511, 9.9937, '+01:00'],
  ['Amsterdam', 'North Holland', 'Netherlands', 'NL', 52.3676, 4.9041, '+01:00'],
  ['Brussels', 'Brussels-Capital', 'Belgium', 'BE', 50.8503, 4.3517, '+01:00'],
  ['Vienna', 'Vienna', 'Austria', 'AT', 48.2082, 16.3738, '+01:00'],
  ['Prague', 'Prague', 'Czechia', 'CZ', 50.0755, 14.4378, '+01:00'],
  ['Budapest', 'Budapest', 'Hungary', 'HU', 47.4979, 19.0402, '+01:00'],
  ['Krakow', 'Lesser Poland', 'Poland', 'PL', 50.0647, 19.945, '+01:00'],
  ['Copenhagen', 'Capital Region', 'Denmark', 'DK', 55.6761, 12.5683, '+01:00'],
  ['Stockholm', 'Stockholm', 'Sweden', 'SE', 59.3293, 18.0686, '+01:00'],
  ['Oslo', 'Oslo', 'Norway', 'NO', 59.9139, 10.7522, '+01:00'],
  ['Bergen', 'Vestland', 'Norway', 'NO', 60.3913, 5.3221, '+01:00'],
  ['Reykjavik', 'Capital Region', 'Iceland', 'IS', 64.1466, -21.9426, '+00:00'],
  ['Helsinki', 'Uusimaa', 'Finland', 'FI', 60.1699, 24.9384, '+02:00'],
  ['Athens', 'Attica', 'Greece', 'GR', 37.9838, 23.7275, '+02:00'],
  ['Santorini', 'South Aegean', 'Greece', 'GR', 36.3932, 25.4615, '+02:00'],
  ['Istanbul', 'Istanbul', 'Turkey', 'TR', 41.0082, 28.9784, '+03:00'],
  ['Dubrovnik', 'Dubrovnik-Neretva', 'Croatia', 'HR', 42.6507, 18.0944, '+01:00'],
  ['Marrakesh', 'Marrakesh-Safi', 'Morocco', 'MA', 31.6295, -7.9811, '+01:00'],
  ['Cairo', 'Cairo', 'Egypt', 'EG', 30.0444, 31.2357, '+02:00'],
  ['Cape Town', 'Western Cape', 'South Africa', 'ZA', -33.9249, 18.4241, '+02:00'],
  ['Nairobi', 'Nairobi', 'Kenya', 'KE', -1.2921, 36.8219, '+03:00'],
  ['New York', 'New York', 'United States', 'US', 40.7128, -74.006, '-05:00'],
  ['San Francisco', 'California', 'United States', 'US', 37.7749, -122.4194, '-08:00'],
  ['Los Angeles', 'California', 'United States', 'US', 34.0522, -118.2437, '-08:00'],
  ['Seattle', 'Washington', 'United States', 'US', 47.6062, -122.3321, '-08:00'],
  ['Chicago', 'Illinois', 'United States', 'US', 41.8781, -87.6298, '-06:00'],
  ['Boston', 'Massachusetts', 'United States', 'US', 42.3601, -71.0589, '-05:00'],
  ['Miami', 'Florida', 'United States', 'US', 25.7617, -80.1918, '-05:00'],
  ['New Orleans', 'Louisiana', 'United States', 'US', 29.9511, -90.0715, '-06:00'],
  ['Denver', 'Colorado', 'United States', 'US', 39.7392, -104.9903, '-07:00'],
  ['Moab', 'Utah', 'United States', 'US', 38.5733, -109.5498, '-07:00'],
  ['Honolulu', 'Hawaii', 'United States', 'US', 21.3069, -157.8583, '-10:00'],
  ['Anchorage', 'Alaska', 'United States', 'US', 61.2181, -149.9003, '-09:00'],
  ['Vancouver', 'British Columbia', 'Canada', 'CA', 49.2827, -123.1207, '-08:00'],
  ['Montreal', 'Quebec', 'Canada', 'CA', 45.5017, -73.5673, '-05:00'],
  ['Toronto', 'Ontario', 'Canada', 'CA', 43.6532, -79.3832, '-05:00'],
  ['Banff', 'Alberta', 'Canada', 'CA', 51.1784, -115.5708, '-07:00'],
  ['Mexico City', 'Mexico City', 'Mexico', 'MX', 19.4326, -99.1332, '-06:00'],
  ['Cusco', 'Cusco', 'Peru', 'PE', -13.532, -71.9675, '-05:00'],
  ['Buenos Aires', 'Buenos Aires', 'Argentina', 'AR', -34.6037, -58.3816, '-03:00'],
  ['Rio de Janeiro', 'Rio de Janeiro', 'Brazil', 'BR', -22.9068, -43.1729, '-03:00'],
  ['Santiago', 'Santiago Metropolitan', 'Chile', 'CL', -33.4489, -70.6693, '-04:00'],
  ['Tokyo', 'Tokyo', 'Japan', 'JP', 35.6762, 139.6503, '+09:00'],
  ['Kyoto', 'Kyoto', 'Japan', 'JP', 35.0116, 135.7681, '+09:00'],
  ['Osaka', 'Osaka', 'Japan', 'JP', 34.6937, 135.5023, '+09:00'],
  ['Seoul', 'Seoul', 'South Korea', 'KR', 37.5665, 126.978, '+09:00'],
  ['Beijing', 'Beijing', 'China', 'CN', 39.9042, 116.4074, '+08:00'],
  ['Hong Kong', 'Hong Kong', 'Hong Kong', 'HK', 22.3193, 114.1694, '+08:00'],
  ['Singapore', 'Singapore', 'Singapore', 'SG', 1.3521, 103.8198, '+08:00'],
  ['Bangkok', 'Bangkok', 'Thailand', 'TH', 13.7563, 100.5018, '+07:00'],
  ['Hanoi', 'Hanoi', 'Vietnam', 'VN', 21.0278, 105.8342, '+07:00'],
  ['Bali', 'Bali', 'Indonesia', 'ID', -8.3405, 115.092, '+08:00'],
  ['Mumbai', 'Maharashtra', 'India', 'IN', 19.076, 72.8777, '+05:30'],
  ['Jaipur', 'Rajasthan', 'India', 'IN', 26.9124, 75.7873, '+05:30'],
  ['Kathmandu', 'Bagmati', 'Nepal', 'NP', 27.7172, 85.324, '+05:45'],
  ['Dubai', 'Dubai', 'United Arab Emirates', 'AE', 25.2048, 55.2708, '+04:00'],
  ['Sydney', 'New South Wales', 'Australia', 'AU', -33.8688, 151.2093, '+10:00'],
  ['Melbourne', 'Victoria', 'Australia', 'AU', -37.8136, 144.9631, '+10:00'],
  ['Queenstown', 'Otago', 'New Zealand', 'NZ', -45.0312, 168.6626, '+12:00'],
  ['Auckland', 'Auckland', 'New Zealand', 'NZ', -36.8485, 174.7633, '+12:00'],
];

/** [make, model, lens, filename style]. */
export const CAMERAS: [string, string, string | null, 'img' | 'dsc' | 'pxl' | 'sam' | 'dscf' | 'p'][] = [
  ['Apple', 'iPhone 6', 'iPhone 6 back camera 4.15mm f/2.2', 'img'],
  ['Apple', 'iPhone 7', 'iPhone 7 back camera 3.99mm f/1.8', 'img'],
  ['Apple', 'iPhone 8', 'iPhone 8 back camera 3.99mm f/1.8', 'img'],
  ['Apple', 'iPhone X', 'iPhone X back dual camera 4mm f/1.8', 'img'],
  ['Apple', 'iPhone 11', 'iPhone 11 back dual wide camera 4.25mm f/1.8', 'img'],
  ['Apple', 'iPhone 12 Pro', 'iPhone 12 Pro back triple camera 4.2mm f/1.6', 'img'],
  ['Apple', 'iPhone 13 mini', 'iPhone 13 mini back dual wide camera 5.1mm f/1.6', 'img'],
  ['Apple', 'iPhone 14 Pro', 'iPhone 14 Pro back triple camera 6.86mm f/1.78', 'img'],
  ['Apple', 'iPhone 15', 'iPhone 15 back dual wide camera 6.24mm f/1.6', 'img'],
  ['Google', 'Pixel 4a', null, 'pxl'],
  ['Google', 'Pixel 6', null, 'pxl'],
  ['Google', 'Pixel 8 Pro', null, 'pxl'],
  ['samsung', 'SM-G960F', null, 'sam'],
  ['samsung', 'SM-G991B', null, 'sam'],
  ['samsung', 'SM-S911B', null, 'sam'],
  ['Canon', 'Canon EOS 5D Mark III', 'EF24-105mm f/4L IS USM', 'img'],
  ['Canon', 'Canon EOS 80D', 'EF-S18-135mm f/3.5-5.6 IS USM', 'img'],
  ['Canon', 'Canon EOS R6', 'RF24-105mm F4 L IS USM', 'img'],
  ['Canon', 'Canon PowerShot G7 X Mark II', null, 'img'],
  ['NIKON CORPORATION', 'NIKON D750', 'AF-S NIKKOR 24-120mm f/4G ED VR', 'dsc'],
  ['NIKON CORPORATION', 'NIKON D7200', 'AF-S DX NIKKOR 18-140mm f/3.5-5.6G ED VR', 'dsc'],
  ['NIKON CORPORATION', 'NIKON Z 6', 'NIKKOR Z 24-70mm f/4 S', 'dsc'],
  ['SONY', 'ILCE-7M3', 'FE 24-105mm F4 G OSS', 'dsc'],
  ['SONY', 'ILCE-6400', 'E 18-135mm F3.5-5.6 OSS', 'dsc'],
  ['SONY', 'DSC-RX100M5A', null, 'dsc'],
  ['FUJIFILM', 'X-T3', 'XF18-55mmF2.8-4 R LM OIS', 'dscf'],
  ['FUJIFILM', 'X100V', null, 'dscf'],
  ['OLYMPUS CORPORATION', 'E-M10MarkII', 'OLYMPUS M.12-40mm F2.8', 'p'],
  ['Panasonic', 'DMC-GX80', 'LUMIX G VARIO 12-32mm F3.5-5.6', 'p'],
  ['GoPro', 'HERO9 Black', null, 'img'],
];
