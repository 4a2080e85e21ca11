// Seed categories: a starting tag → category mapping that a new library copies into its database (the user
// edits it there), plus the prompt sets that decide whether a photo is worth running OCR on.
import type { TagScore } from '../types.js';
import { groupNames, type GroupName } from './vocabulary.js';

export interface SeedCategory {
  name: string;
  label: string;
  tags: string[];
}

/** Whole groups, minus tags that do not belong, plus hand-picked tags from elsewhere; sorted, unique. */
function tagsOf(groups: GroupName[], extra: string[] = [], without: string[] = []): string[] {
  const drop = new Set(without);
  return [...new Set([...groupNames(...groups), ...extra])].filter((t) => !drop.has(t)).sort();
}

export const SEED_CATEGORIES: SeedCategory[] = [
  {
    name: 'electronics',
    label: 'Electronics',
    tags: tagsOf(['electronics'], ['robot vacuum', 'microwave', 'drone', 'typewriter']),
  },
  {
    name: 'food',
    label: 'Food & drink',
    tags: tagsOf(
      ['fruits', 'vegetables', 'dishes', 'sweets', 'drinks'],
      [
        'mushroom',
        'basil',
        'rosemary',
        'parsley',
        'mint',
        'thyme',
        'coffee bean',
        'lobster',
        'crab',
        'cooking',
        'baking',
        'eating',
        'grilling',
        'having a picnic',
        'having a barbecue',
        'toasting',
        'street market',
        'farmers market',
        'food truck',
      ],
      ['pizza box', 'takeout container'],
    ),
  },
  {
    name: 'landscape',
    label: 'Landscapes',
    tags: tagsOf(
      ['naturalScenes'],
      [
        'rainbow',
        'double rainbow',
        'aurora',
        'milky way',
        'lightning',
        'sand dune',
        'eclipse',
        'mount fuji',
        'grand canyon',
        'niagara falls',
        'uluru',
        'matterhorn',
        'mount everest',
        'tornado',
        'storm cloud',
        'cloud',
      ],
      ['night', 'rain', 'snowfall', 'underwater', 'summer', 'winter', 'spring', 'autumn', 'moonlight', 'cave interior', 'coral reef'],
    ),
  },
  {
    name: 'documents',
    label: 'Documents',
    tags: tagsOf(['documents'], ['book', 'open book', 'notebook', 'notepad', 'magazine', 'textbook', 'diary', 'journal', 'comic book', 'reading', 'writing']),
  },
  {
    name: 'people',
    label: 'People',
    tags: tagsOf(['people', 'activities', 'sports', 'sportEvents'], ['street performer', 'referee']),
  },
  {
    name: 'animals',
    label: 'Animals',
    tags: tagsOf(
      ['pets', 'dogBreeds', 'catBreeds', 'farmAnimals', 'wildMammals', 'seaMammals', 'birds', 'reptiles', 'seaLife', 'insects'],
      [
        'zoo',
        'aquarium',
        'walking the dog',
        'playing with a dog',
        'horseback riding',
        'feeding animals',
        'feeding birds',
        'bird watching',
        'dog show',
        'rodeo',
        'safari',
        'fish tank',
        'bird cage',
        'pet bed',
        'dog house',
      ],
      ['beehive', 'spider web', 'cocoon'],
    ),
  },
  {
    name: 'vehicles',
    label: 'Vehicles',
    tags: tagsOf(
      ['vehicles'],
      ['parking lot', 'highway', 'traffic', 'car dealership', 'marina', 'race track', 'driving', 'riding a motorcycle', 'drone', 'tractor'],
      [
        'traffic light',
        'traffic cone',
        'fire hydrant',
        'street lamp',
        'gas pump',
        'parking meter',
        'manhole cover',
        'toll booth',
        'roundabout',
        'bus stop',
        'bike rack',
        'shipping container',
        'ev charging station',
      ],
    ),
  },
  {
    name: 'architecture',
    label: 'Architecture',
    tags: tagsOf(
      ['buildings', 'landmarks'],
      [
        'cityscape',
        'city',
        'old town',
        'city at night',
        'plaza',
        'church interior',
        'cathedral interior',
        'mosque interior',
        'temple interior',
        'throne room',
        'ballroom',
        'museum',
        'opera house',
        'stadium',
      ],
      [
        'market stall',
        'phone booth',
        'graffiti',
        'street art',
        'mural',
        'gravestone',
        'power line',
        'electricity pylon',
        'escalator',
        'elevator',
        'grand canyon',
        'niagara falls',
        'uluru',
        'matterhorn',
        'mount everest',
        'mount fuji',
      ],
    ),
  },
  {
    name: 'plants',
    label: 'Plants',
    tags: tagsOf(
      ['trees', 'flowers', 'otherPlants'],
      [
        'botanical garden',
        'garden',
        'flower garden',
        'vegetable garden',
        'rose garden',
        'japanese garden',
        'greenhouse',
        'orchard',
        'flower meadow',
        'gardening',
        'plant pot',
        'planter',
        'watering can',
        'autumn foliage',
      ],
      ['log', 'hay bale'],
    ),
  },
  {
    name: 'events',
    label: 'Events',
    tags: tagsOf(
      ['events'],
      [
        'birthday cake',
        'wedding cake',
        'balloon',
        'party hat',
        'confetti',
        'pinata',
        'birthday candle',
        'christmas tree',
        'christmas ornament',
        'christmas stocking',
        'jack-o-lantern',
        'carved pumpkin',
        'easter egg',
        'menorah',
        'advent calendar',
        'fireworks',
        'sparkler',
        'gift box',
        'wrapping paper',
        'bride',
        'groom',
        'bridesmaid',
        'santa claus',
        'wedding dress',
        'graduation gown',
        'graduation cap',
        'halloween costume',
        'costume',
        'blowing out candles',
        'opening presents',
        'decorating a christmas tree',
        'carving a pumpkin',
        'trick-or-treating',
        'celebrating',
        'painting eggs',
        'wedding invitation',
        'stage',
        'nightclub',
        'circus',
      ],
    ),
  },
];

/**
 * A photo's categories from its tags: each category scores the best confidence among its tags. For the
 * caption fallback's primary category; the database reads categories through the mapping at query time.
 */
export function categoriesForTags(tags: readonly TagScore[], categories: readonly SeedCategory[] = SEED_CATEGORIES): { name: string; confidence: number }[] {
  const best = new Map<string, number>();
  for (const tag of tags) {
    for (const c of categories) {
      if (c.tags.includes(tag.name) && tag.confidence > (best.get(c.name) ?? -Infinity)) best.set(c.name, tag.confidence);
    }
  }
  return [...best]
    .map(([name, confidence]) => ({ name, confidence }))
    .sort((a, b) => b.confidence - a.confidence || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Text-likely gating: CLIP compares the photo with "there is readable text here" against "this is a scene"
 * prompts (see text-gate.ts). Both sides span many subjects so that neither wins on subject alone.
 */
export const TEXT_PROMPTS: { readonly text: readonly string[]; readonly noText: readonly string[] } = {
  text: [
    'a photo of a printed document.',
    'a scan of a page of text.',
    'a photo of a page in a book.',
    'a photo of a receipt.',
    'a photo of a restaurant menu.',
    'a photo of a handwritten note.',
    'a photo of a letter.',
    'a screenshot of a phone screen.',
    'a screenshot of a computer screen with text.',
    'a photo of a whiteboard with writing on it.',
    'a photo of a blackboard with writing on it.',
    'a photo of a sign with words on it.',
    'a photo of a street sign.',
    'a photo of a poster with text.',
    'a photo of a product label with printed text.',
    'a photo of a business card.',
    'a photo of a ticket.',
    'a photo of a form with text fields.',
    'a photo of a presentation slide.',
    'a photo of a newspaper.',
  ],
  noText: [
    'a photo of a landscape.',
    'a portrait photo of a person.',
    'a photo of a group of people.',
    'a photo of an animal.',
    'a photo of a pet.',
    'a photo of food on a plate.',
    'a photo of a city street.',
    'a photo of a building.',
    'a photo of the sky.',
    'a photo of a forest.',
    'a photo of the beach.',
    'a photo of a mountain.',
    'a photo of a room interior.',
    'a photo of a car.',
    'a close-up photo of a flower.',
    'a photo of a child playing.',
    'a photo of a sports game.',
    'a photo of a sunset.',
    'a photo of a party.',
    'a photo of a garden.',
  ],
};
