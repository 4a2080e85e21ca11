// The 80 COCO classes the objects step's detector knows (Human's CenterNet, ml/objects/), each with the words search
// finds it by: its plural, French and German (the query parser's languages, search/understand/lexicon.ts), and the
// parent words a person types for a kind of thing ("pet", "vehicle", "food"). One table, pure: the step stores the
// class, search rows and explanations read the words from here.

/** A parent word and its plural and translations, like a class's. */
export interface ObjectWords {
  /** The tag's name, as CLIP's vocabulary writes it (lowercase, singular). */
  name: string;
  plural: string;
  fr: string;
  de: string;
}

export interface ObjectClass extends ObjectWords {
  /** Broader words, nearest first (dog → pet → animal). */
  parents: readonly string[];
}

const PARENTS: Record<string, readonly [string, string, string]> = {
  // no German word: "Tier" would answer "tie" (every search word is also a prefix)
  animal: ['animals', 'animal', ''],
  pet: ['pets', 'animal de compagnie', 'Haustier'],
  vehicle: ['vehicles', 'véhicule', 'Fahrzeug'],
  food: ['food', 'nourriture', 'Essen'],
  fruit: ['fruit', 'fruit', 'Obst'],
  vegetable: ['vegetables', 'légume', 'Gemüse'],
  electronics: ['electronics', 'électronique', 'Elektronik'],
  furniture: ['furniture', 'meuble', 'Möbel'],
  // not "kitchenware": "kitchen" would find every cup and bottle
  dishware: ['dishware', 'vaisselle', 'Geschirr'],
  appliance: ['appliances', 'électroménager', 'Haushaltsgerät'],
  'sports equipment': ['sports equipment', 'équipement sportif', 'Sportgerät'],
  luggage: ['luggage', 'bagage', 'Gepäck'],
  'street sign': ['street signs', 'panneau', 'Verkehrszeichen'],
};

/**
 * label, plural, French, German, parents (comma-separated). The detector's class index is the row's. Every search word
 * is also a prefix: translations that would answer another English word are replaced (bateau answered "bat": navire;
 * Boot "boots": Schiff; Bank "bank": Sitzbank; Handy "hands": Mobiltelefon).
 */
const ROWS = `
person|people|personne|Person|
bicycle|bicycles|vélo|Fahrrad|vehicle
car|cars|voiture|Auto|vehicle
motorcycle|motorcycles|moto|Motorrad|vehicle
airplane|airplanes|avion|Flugzeug|vehicle
bus|buses|bus|Bus|vehicle
train|trains|train|Zug|vehicle
truck|trucks|camion|Lastwagen|vehicle
boat|boats|navire|Schiff|vehicle
traffic light|traffic lights|feu de circulation|Ampel|street sign
fire hydrant|fire hydrants|bouche d'incendie|Hydrant|
stop sign|stop signs|panneau stop|Stoppschild|street sign
parking meter|parking meters|parcmètre|Parkuhr|
bench|benches|banc|Sitzbank|furniture
bird|birds|oiseau|Vogel|animal
cat|cats|chat|Katze|pet,animal
dog|dogs|chien|Hund|pet,animal
horse|horses|cheval|Pferd|animal
sheep|sheep|mouton|Schaf|animal
cow|cows|vache|Kuh|animal
elephant|elephants|éléphant|Elefant|animal
bear|bears|ours|Bär|animal
zebra|zebras|zèbre|Zebra|animal
giraffe|giraffes|girafe|Giraffe|animal
backpack|backpacks|sac à dos|Rucksack|luggage
umbrella|umbrellas|parapluie|Regenschirm|
handbag|handbags|sac à main|Handtasche|luggage
tie|ties|cravate|Krawatte|
suitcase|suitcases|valise|Koffer|luggage
frisbee|frisbees|frisbee|Frisbee|sports equipment
skis|skis|skis|Ski|sports equipment
snowboard|snowboards|snowboard|Snowboard|sports equipment
sports ball|balls|ballon|Ball|sports equipment
kite|kites|cerf-volant|Drachen|
baseball bat|baseball bats|batte de baseball|Baseballschläger|sports equipment
baseball glove|baseball gloves|gant de baseball|Baseballhandschuh|sports equipment
skateboard|skateboards|skateboard|Skateboard|sports equipment
surfboard|surfboards|planche de surf|Surfbrett|sports equipment
tennis racket|tennis rackets|raquette de tennis|Tennisschläger|sports equipment
bottle|bottles|bouteille|Flasche|dishware
wine glass|wine glasses|verre à vin|Weinglas|dishware
cup|cups|tasse|Tasse|dishware
fork|forks|fourchette|Gabel|dishware
knife|knives|couteau|Messer|dishware
spoon|spoons|cuillère|Löffel|dishware
bowl|bowls|bol|Schüssel|dishware
banana|bananas|banane|Banane|fruit,food
apple|apples|pomme|Apfel|fruit,food
sandwich|sandwiches|sandwich|Sandwich|food
orange|oranges|orange|Orange|fruit,food
broccoli|broccoli|brocoli|Brokkoli|vegetable,food
carrot|carrots|carotte|Karotte|vegetable,food
hot dog|hot dogs|hot-dog|Hotdog|food
pizza|pizzas|pizza|Pizza|food
donut|donuts|beignet|Donut|food
cake|cakes|gâteau|Kuchen|food
chair|chairs|chaise|Stuhl|furniture
couch|couches|canapé|Sofa|furniture
potted plant|potted plants|plante en pot|Topfpflanze|
bed|beds|lit|Bett|furniture
dining table|tables|table|Tisch|furniture
toilet|toilets|toilettes|Toilette|
tv|tvs|télévision|Fernseher|electronics
laptop|laptops|ordinateur portable|Laptop|electronics
mouse|mice|souris|Maus|electronics
remote|remotes|télécommande|Fernbedienung|electronics
keyboard|keyboards|clavier|Tastatur|electronics
cell phone|phones|téléphone|Mobiltelefon|electronics
microwave|microwaves|micro-ondes|Mikrowelle|appliance
oven|ovens|four|Ofen|appliance
toaster|toasters|grille-pain|Toaster|appliance
sink|sinks|évier|Spüle|
refrigerator|refrigerators|réfrigérateur|Kühlschrank|appliance
book|books|livre|Buch|
clock|clocks|horloge|Uhr|
vase|vases|vase|Vase|
scissors|scissors|ciseaux|Schere|
teddy bear|teddy bears|ours en peluche|Teddybär|
hair drier|hair driers|sèche-cheveux|Föhn|appliance
toothbrush|toothbrushes|brosse à dents|Zahnbürste|
`;

/**
 * CLIP's names (ml/tags/vocabulary.ts) where COCO names a class otherwise, or where CLIP's word means something else
 * (its `mouse` is the rodent, its `orange` the colour): a detection's tag takes CLIP's name, so that the two models'
 * tags of one thing fuse (photo's tags, search rows, the tags filter) and those of two things stay apart.
 */
const TAG_NAMES: Readonly<Record<string, string>> = {
  mouse: 'computer mouse',
  orange: 'orange fruit',
  couch: 'sofa',
  tv: 'television',
  'cell phone': 'smartphone',
  tie: 'necktie',
  remote: 'remote control',
  keyboard: 'computer keyboard',
  'hair drier': 'hair dryer',
  'sports ball': 'ball',
  skis: 'ski',
};

/** The tag a detected class is: CLIP's name for it (`computer mouse` for COCO's `mouse`), else the class's. */
export function objectTagName(label: string): string {
  return TAG_NAMES[label] ?? label;
}

/** The detector's classes in its output order (class index 0 is `person`). */
export const OBJECT_CLASSES: readonly ObjectClass[] = ROWS.trim()
  .split('\n')
  .map((row) => {
    const [name, plural, fr, de, parents] = row.split('|') as [string, string, string, string, string];
    return { name, plural, fr, de, parents: parents ? parents.split(',') : [] };
  });

const BY_NAME = new Map(OBJECT_CLASSES.map((c) => [c.name, c]));

/** The class of a stored label, or undefined for a label no longer in the table. */
export function objectClass(name: string): ObjectClass | undefined {
  return BY_NAME.get(name);
}

/** A parent word's plural and translations. */
export function parentWords(name: string): ObjectWords {
  const [plural, fr, de] = PARENTS[name] ?? [name, name, name];
  return { name, plural, fr, de };
}

/** The tags a detected class counts as: itself and its parents (dog → dog, pet, animal). */
export function objectTags(name: string): string[] {
  return [objectTagName(name), ...(objectClass(name)?.parents ?? [])];
}

/** The classes a tag stands for: `dog` for dog, `cat` and `dog` for pet, `mouse` for computer mouse (none for mouse). */
export function objectClassesTagged(tag: string): string[] {
  return OBJECT_CLASSES.filter((c) => objectTagName(c.name) === tag || c.parents.includes(tag)).map((c) => c.name);
}

/** The classes whose own tag (not a parent) is this one: `mouse` for computer mouse. */
export function objectClassesNamed(tag: string): string[] {
  return OBJECT_CLASSES.filter((c) => objectTagName(c.name) === tag).map((c) => c.name);
}

/**
 * Detections at least this sure also count under their translations and parent words; below it only under their
 * class name. At the step's own cut (0.25) a detection was right half the time (bench/objects), and a doubtful
 * "cup" spread to "dishware", "Tasse" and "vaisselle" makes more noise than it finds.
 */
export const BROADER_WORDS_CUT = 0.5;

// French phrases' little words stay out of the tags field ("animal de compagnie" must not answer "de" or "en").
const STOP_WORDS = new Set(['de', 'du', 'des', 'à', 'en', 'au', 'aux', 'la', 'le', 'les']);

/** A phrase without its stop words and elisions: "bouche d'incendie" → "bouche incendie". */
function searchable(phrase: string): string {
  return phrase
    .split(/\s+/)
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => w.replace(/^[dl]'/, ''))
    .join(' ');
}

const unique = (words: string[]) => [...new Set(words.filter(Boolean).map(searchable))];

/** The words a detection is found by at any score: its class name and plural. */
export function objectNameWords(name: string): string[] {
  const own = objectClass(name) ?? parentWords(name);
  return unique([objectTagName(own.name), own.name, own.plural]);
}

/** The words a detection is found by only from BROADER_WORDS_CUT: its translations, its parents and theirs. */
export function objectBroaderWords(name: string): string[] {
  const own = objectClass(name);
  const words = [own ?? parentWords(name), ...(own?.parents ?? []).map(parentWords)];
  const names = new Set(objectNameWords(name));
  return unique(words.flatMap((w) => [w.name, w.plural, w.fr, w.de])).filter((w) => !names.has(w));
}

/** Every word search finds the class by: its tags, their plurals and translations. */
export function objectSearchWords(name: string): string[] {
  return [...objectNameWords(name), ...objectBroaderWords(name)];
}
