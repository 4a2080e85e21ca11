// The zero-shot tag vocabulary: a few thousand everyday things, places, activities, events, document types
// and colours. A .ts module rather than JSON so that `tsc` carries it into dist/ with no copy step.
//
// Each group is a comma- or newline-separated list. An item is `name`, optionally `name|alias|alias` and
// optionally `=phrase`, the noun phrase put into the kind's templates instead of "a/an <name>" (mass nouns,
// words CLIP reads better in context). Names are lowercase, singular where English allows, and unique.

export const TAG_KINDS = ['object', 'scene', 'activity', 'event', 'document', 'colour'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

export interface VocabularyEntry {
  readonly name: string;
  readonly kind: TagKind;
  /** Noun phrase for the templates; default "a/an <name>" ("<name>" for activities and colours). */
  readonly prompt?: string;
  /** Other words for the same thing: matched in search, and each embedded with the kind's first template. */
  readonly aliases?: readonly string[];
}

/**
 * Prompt templates per kind; `{}` takes the entry's noun phrase (which carries its own article, so mass
 * nouns read "a photo of rice."). Averaging several templates is the usual CLIP ensembling trick.
 */
export const TEMPLATES: Readonly<Record<TagKind, readonly string[]>> = {
  object: ['a photo of {}.', 'a close-up photo of {}.'],
  scene: ['a photo of {}.', 'a photo taken at {}.'],
  activity: ['a photo of people {}.', 'a photo of a person {}.'],
  event: ['a photo taken at {}.', 'a photo of people at {}.'],
  document: ['a photo of {}.', 'a scan of {}.'],
  colour: ['a {} photo.', 'a photo that is mostly {}.'],
};

/** Parses one group; `phrase` wraps every name that has no `=phrase` of its own (e.g. `playing {}`). */
function group(kind: TagKind, list: string, options: { phrase?: string } = {}): VocabularyEntry[] {
  const phraseOf = (word: string): string | undefined => options.phrase?.replace('{}', word);
  return list
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [head = '', explicit] = item.split('=').map((s) => s.trim());
      const [name = '', ...aliases] = head.split('|').map((s) => s.trim());
      const prompt = explicit || phraseOf(name);
      return { name, kind, ...(prompt ? { prompt } : {}), ...(aliases.length ? { aliases } : {}) };
    });
}

// ---------------------------------------------------------------------------------------------- people

const people = group('object', `
person, man, woman, child, boy, girl, baby, toddler, teenager, family, couple, crowd=a crowd of people,
group of friends, group photo, selfie, portrait, face, hand, tattoo, beard, bride, groom, soldier,
police officer, firefighter, doctor, nurse, chef, waiter, student, teacher, athlete, musician, singer, dancer,
santa claus=santa claus, construction worker, farmer, mother and child, father and child, elderly man,
elderly woman, newborn=a newborn baby, businessman, tourist, bridesmaid, grandparent, model=a fashion model
`);

// ---------------------------------------------------------------------------------------------- animals

const pets = group('object', `
dog, puppy, cat, kitten, hamster, guinea pig, rabbit, mouse, rat, hedgehog, parrot, budgerigar|budgie, canary,
cockatoo, goldfish, turtle, tortoise, lizard, gecko, iguana, snake, axolotl, koi fish|koi, hermit crab, ferret,
bearded dragon
`);

const dogBreeds = group('object', `
labrador retriever|labrador, golden retriever, german shepherd, border collie, beagle, poodle, bulldog,
french bulldog, pug, chihuahua, dachshund, siberian husky|husky, corgi, shiba inu, yorkshire terrier,
jack russell terrier, boxer dog, rottweiler, dobermann, dalmatian, great dane, greyhound, cocker spaniel,
shih tzu, pomeranian, bernese mountain dog, saint bernard, samoyed, basset hound, pit bull, schnauzer,
australian shepherd, cavalier king charles spaniel, bichon frise, chow chow, akita, springer spaniel,
boston terrier, whippet
`);

const catBreeds = group('object', `
tabby cat, black cat, siamese cat, persian cat, maine coon, bengal cat, sphynx cat, british shorthair,
calico cat, ragdoll cat, ginger cat
`);

const farmAnimals = group('object', `
horse, pony, donkey, cow, calf, bull, pig, sheep, lamb, goat, chicken, rooster, duck, goose, turkey, llama,
alpaca, camel, highland cow, flock of sheep, herd of cattle=a herd of cattle, foal, chick, duckling, piglet,
water buffalo, ox
`);

const wildMammals = group('object', `
lion, tiger, leopard, cheetah, jaguar, snow leopard, wolf, fox, arctic fox, coyote, hyena, bear, brown bear,
polar bear, giant panda|panda, red panda, koala, kangaroo, wallaby, wombat, platypus, elephant, rhinoceros|rhino,
hippopotamus|hippo, giraffe, zebra, antelope, gazelle, bison, moose, elk, deer, reindeer, wild boar, monkey,
chimpanzee, gorilla, orangutan, lemur, sloth, armadillo, porcupine, raccoon, skunk, badger, otter, sea otter,
beaver, squirrel, chipmunk, meerkat, bat, hare, capybara, lynx, cougar, red fox, black bear, grizzly bear,
wildebeest, impala, warthog, baboon, fawn, anteater, pangolin, mongoose, prairie dog
`);

const seaMammals = group('object', `
dolphin, whale, humpback whale, orca|killer whale, seal, sea lion, walrus, manatee, narwhal, beluga whale
`);

const birds = group('object', `
bird, eagle, bald eagle, hawk, falcon, owl, vulture, crow, raven, magpie, blue jay, cardinal, robin, sparrow,
finch, swallow, hummingbird, woodpecker, kingfisher, pigeon, dove, seagull|gull, pelican, puffin, penguin,
flamingo, heron, stork, swan, black swan, peacock, pheasant, ostrich, emu, toucan, macaw, parakeet, bird of prey,
flock of birds=a flock of birds, golden eagle, snowy owl, barn owl, osprey, starling, cormorant, albatross,
egret, quail, mallard, wren, kookaburra, hornbill, ibis, canada goose
`);

const reptiles = group('object', `
crocodile, alligator, chameleon, komodo dragon, rattlesnake, cobra, python, sea turtle, frog, toad, tree frog,
salamander, monitor lizard, tadpole, newt
`);

const seaLife = group('object', `
fish, tropical fish, shark, great white shark, hammerhead shark, whale shark, stingray, manta ray, eel,
clownfish, pufferfish, swordfish, trout, seahorse, jellyfish, octopus, squid, starfish, sea urchin, sea anemone,
coral, crab, lobster, snail, slug, school of fish=a school of fish, angelfish, carp, catfish, crayfish,
cuttlefish, barracuda
`);

const insects = group('object', `
insect, butterfly, monarch butterfly, moth, caterpillar, bee, wasp, ant, fly, mosquito, dragonfly,
ladybug|ladybird, beetle, firefly, grasshopper, praying mantis, cockroach, spider, tarantula, scorpion,
centipede, earthworm, beehive, spider web|cobweb, bumblebee, hornet, stag beetle, cicada, stick insect, cocoon
`);

// ---------------------------------------------------------------------------------------------- plants

const trees = group('object', `
tree, oak tree, pine tree, palm tree, maple tree, birch tree, willow tree, olive tree, baobab tree, bonsai tree,
tree trunk, tree branch, tree stump, log, pine cone, acorn, autumn leaf=autumn leaves, leaf, christmas tree,
redwood tree, apple tree, cherry tree, cypress tree, fir tree, dead tree, fallen tree, eucalyptus tree,
coconut palm
`);

const flowers = group('object', `
flower, rose, tulip, daisy, lily, orchid, lavender, poppy, daffodil, iris, hydrangea, peony, carnation,
chrysanthemum, marigold, hibiscus, jasmine, dahlia, geranium, bougainvillea, wisteria, wildflower, sunflower,
lotus flower, water lily, cherry blossom, dandelion, four-leaf clover, bouquet, flower arrangement,
lavender field, poinsettia, red rose, camellia, gerbera, petunia, pansy, begonia, azalea, bluebell,
forget-me-not, snowdrop, crocus, hyacinth, foxglove, lupin, cornflower, morning glory, zinnia, aster, gladiolus,
freesia, anemone, protea, sweet pea, buttercup, heather, calla lily, amaryllis, frangipani, primrose, thistle,
clover, tulip field, sunflower field, poppy field, flower crown, dried flowers=dried flowers
`);

const otherPlants = group('object', `
plant, potted plant, houseplant, monstera, snake plant, venus flytrap, cactus, succulent, aloe vera, fern, moss,
ivy, vine, hedge, bush, bamboo, lily pad, seaweed, mushroom, fly agaric, terrarium, wheat=wheat, grass=grass,
basil=basil, rosemary=rosemary, parsley=parsley, mint=mint leaves, fiddle leaf fig, pothos, peace lily,
spider plant, rubber plant, jade plant, saguaro cactus, prickly pear cactus, grapevine, shrub, reed, toadstool,
seedling, hanging plant, herb garden, hay bale, thyme=thyme, lichen, cotton plant, tea plant
`);

// ---------------------------------------------------------------------------------------------- food and drink

const fruits = group('object', `
fruit=fruit, apple, banana, orange fruit=an orange fruit, lemon, lime, grapefruit, grape=grapes, strawberry,
raspberry, blueberry, blackberry, cherry, peach, plum, apricot, pear, pineapple, mango, papaya, kiwi, watermelon,
cantaloupe, coconut, pomegranate, fig, avocado, dragon fruit, lychee, olive=olives, fruit bowl, berry=berries,
green apple, tangerine, cranberry=cranberries, banana bunch=a bunch of bananas, rhubarb=rhubarb, nectarine,
passion fruit, melon, date fruit=dates, fruit basket
`);

const vegetables = group('object', `
vegetable=vegetables, tomato, potato, sweet potato, carrot, onion, garlic, broccoli, cauliflower, cabbage,
lettuce, spinach=spinach, cucumber, zucchini, eggplant, bell pepper, chili pepper, corn on the cob, pea=peas,
green bean=green beans, asparagus=asparagus, beetroot, radish, pumpkin, brussels sprout=brussels sprouts,
bean=beans, corn=corn, cherry tomato, red onion, kale=kale, butternut squash, bok choy=bok choy, ginger root,
okra=okra, chickpea=chickpeas, lentil=lentils, leek, pickle, artichoke, celery=celery
`);

const dishes = group('object', `
pizza, hamburger|burger, cheeseburger, hot dog, sandwich, taco, burrito, nachos=nachos, sushi=sushi,
sashimi=sashimi, ramen=a bowl of ramen, pho=a bowl of pho, dumpling=dumplings, spring roll,
fried rice=fried rice, curry=curry, pad thai=pad thai, noodles=noodles, spaghetti=spaghetti, lasagna,
pasta=pasta, ravioli=ravioli, macaroni and cheese=macaroni and cheese, risotto=risotto, paella=paella, steak,
roast chicken, fried chicken=fried chicken, chicken wing=chicken wings, barbecue ribs=barbecue ribs, kebab, gyro,
shawarma, falafel=falafel, hummus=hummus, salad, caesar salad, greek salad, fruit salad, soup=a bowl of soup,
stew=stew, omelette, scrambled egg=scrambled eggs, fried egg, boiled egg, pancake=pancakes, waffle, bacon=bacon,
sausage, toast=toast, oatmeal=a bowl of oatmeal, fish and chips=fish and chips, french fries|fries=french fries,
mashed potato=mashed potatoes, baked potato, meatball=meatballs, roast turkey, ham, shrimp=shrimp,
oyster=oysters, mussel=mussels, calamari=calamari, salmon=salmon, grilled fish, caviar=caviar, dim sum=dim sum,
bibimbap=bibimbap, kimchi=kimchi, tempura=tempura, tofu=tofu, bento box, samosa,
tandoori chicken=tandoori chicken, biryani=biryani, quiche, fondue=fondue, crepe, bruschetta=bruschetta,
charcuterie board, cheese board, cheese=cheese, bread=bread, baguette, pretzel, bagel, croissant, egg=eggs,
rice=a bowl of rice, butter=butter, honey=honey, peanut butter=peanut butter, meal=a meal,
plate of food=a plate of food, breakfast=breakfast, fast food=fast food, street food=street food, pizza box,
hot pot, club sandwich, grilled cheese sandwich, quesadilla, enchilada, sushi roll, udon=udon noodles,
chicken nugget=chicken nuggets, potato salad=potato salad, tomato soup=tomato soup, porridge=porridge,
full breakfast=a full english breakfast, onion ring=onion rings, roast beef=roast beef, pork chop, prawn=prawns,
scallop=scallops, smoked salmon=smoked salmon, seafood platter, peking duck=peking duck,
korean barbecue=korean barbecue, miso soup=miso soup, naan=naan bread, couscous=couscous, pie, empanada,
pierogi=pierogi, schnitzel, goulash=goulash, poutine=poutine, wrap=a wrap sandwich, panini,
loaf of bread=a loaf of bread, bread roll, tortilla, cracker=crackers, jam=jam, ketchup=ketchup,
olive oil=olive oil, spice=spices, gnocchi=gnocchi, eggs benedict=eggs benedict, french toast=french toast,
cereal=a bowl of cereal, yogurt=yogurt, acai bowl, stir fry=a stir fry, poke bowl, calzone, ceviche=ceviche,
takeout container
`);

const sweets = group('object', `
dessert, cake, birthday cake, wedding cake, cheesecake, chocolate cake, cupcake, muffin, brownie, cookie,
gingerbread man, gingerbread house, donut|doughnut, macaron, eclair, cinnamon roll, tart, apple pie, pudding,
tiramisu, creme brulee, baklava, churro=churros, pastry=pastries, ice cream=ice cream, ice cream cone,
ice cream sundae|sundae, popsicle|ice lolly, chocolate=chocolate, chocolate bar, candy=candy, lollipop,
cotton candy=cotton candy, popcorn=popcorn, potato chip=potato chips, cake slice=a slice of cake,
baked goods=baked goods, carrot cake, chocolate chip cookie, fruit tart, pumpkin pie, scone, strudel, mousse,
custard, gelato=gelato, gummy bear=gummy bears, marshmallow=marshmallows, peanut=peanuts, almond=almonds,
walnut=walnuts, mixed nuts=mixed nuts, whipped cream=whipped cream, candy cane, mochi, biscuit=biscuits
`);

const drinks = group('object', `
coffee=a cup of coffee, espresso, cappuccino, latte, latte art=latte art, iced coffee, tea=a cup of tea,
green tea=green tea, iced tea=iced tea, bubble tea|boba=bubble tea, hot chocolate=hot chocolate,
orange juice=orange juice, lemonade=lemonade, smoothie, milkshake, cola=cola, glass of water=a glass of water,
beer=beer, wine=wine, red wine=red wine, white wine=white wine, champagne=champagne, cocktail, martini,
margarita, mojito, whiskey=whiskey, gin and tonic, energy drink, beer bottle, wine bottle,
cold brew=cold brew coffee, matcha=matcha, soft drink, sparkling water=sparkling water,
pint of beer=a pint of beer, rose wine=rose wine, sangria=sangria, sake=sake, cider=cider,
mulled wine=mulled wine, beer can, soda can, milk=milk
`);

// ---------------------------------------------------------------------------------------------- household

const kitchenware = group('object', `
plate, bowl, cup, mug, drinking glass, wine glass, teacup, teapot, coffee maker, espresso machine, kettle,
toaster, microwave, oven, stove, refrigerator|fridge, dishwasher, blender, stand mixer, rice cooker, air fryer,
frying pan, cooking pot, wok, baking tray, cutting board, kitchen knife, fork, spoon, cutlery=cutlery,
chopsticks=chopsticks, spatula, whisk, rolling pin, corkscrew, jar, mason jar, bottle, water bottle, lunch box,
napkin, tablecloth, salt shaker, kitchen sink, trash can|bin, apron, tray, cake stand, pitcher|jug,
coffee bean=coffee beans, barbecue grill, pizza oven, picnic basket, baby bottle, coffee mug, champagne flute,
saucer, french press, moka pot, gas stove, food processor, slow cooker, juicer, coffee grinder, saucepan,
cast iron skillet, knife, ladle, grater, colander, measuring cup, food container, spice rack, dish rack,
recycling bin, oven mitt, serving platter, carafe, ice cube=ice cubes, tea bag, bread basket, kitchen scale,
charcoal grill, cooler box, wine rack, paper cup, takeaway coffee cup, mortar and pestle, drinking straw,
mixing bowl, thermos, sponge, faucet|tap
`);

const household = group('object', `
chair, armchair, sofa|couch|settee, bar stool, rocking chair, office chair, deck chair, beach chair, table,
dining table, coffee table, picnic table, desk, bookshelf|bookcase, shelf, cabinet, wardrobe,
dresser|chest of drawers, bed, hammock, bean bag chair, ottoman, coat rack, mirror, rug, doormat, desk lamp,
chandelier, ceiling fan, fireplace, radiator, wall clock, alarm clock, vase, picture frame, candle, candlestick,
pillow, throw pillow|cushion, blanket, quilt, towel, laundry basket, ironing board, clothes iron, vacuum cleaner,
robot vacuum, broom, mop, bucket, dustpan, clothes hanger, washing machine, air conditioner, space heater,
electric fan, light bulb, door, garage door, key, padlock, window, umbrella, wicker basket, cardboard box,
suitcase, backpack, handbag|purse, gift box|present|gift, wrapping paper=wrapping paper, balloon, party hat,
confetti=confetti, pinata, christmas ornament|bauble, string lights|fairy lights=string lights, wreath,
christmas stocking, jack-o-lantern, easter egg, menorah, advent calendar, lantern, flag, globe, hourglass,
trophy, medal, first aid kit, fire extinguisher, flashlight|torch, lighter, cigarette, cigar, tobacco pipe,
buddha statue, bird feeder, birdhouse, dog leash|leash, fish tank|aquarium tank, bird cage, dog house|kennel,
scarecrow, mailbox|letterbox, shopping cart|trolley, piggy bank, banknote|cash=banknotes, coin=coins,
credit card, wallet, photo album, plant pot|flower pot, watering can, garden gnome, fire pit, hot tub,
high chair, pacifier|dummy, baby rattle, stroller|pram|buggy, folding chair, recliner, side table, cupboard,
double bed, futon, sofa bed, tv stand, shoe rack, umbrella stand, carpet, table lamp, pendant light,
grandfather clock, tea light=tea lights, duvet, drying rack, clothes dryer, smoke detector, light switch,
power outlet, front door, door handle, doorbell, bunch of keys=a bunch of keys, storage box,
moving box=moving boxes, tote bag, paper bag, plastic bag, gift bag, ribbon, birthday candle=birthday candles,
national flag, match=matches, ashtray, hookah, incense stick=incense sticks, rosary, crucifix, dreamcatcher,
wind chime, pet bed, dog collar, cat tree, litter box, pet carrier, safe=a safe, snow globe, figurine,
paper lantern, dumpster, barrel, wooden crate, keychain, window blind=window blinds, curtain=curtains, bench,
stool, bunk bed, crib|cot, mattress, nightstand|bedside table, lamp, floor lamp, basket, shopping bag,
carved pumpkin, garden hose, sprinkler, bird bath, inflatable pool, car seat, stained glass window, planter,
photo print=printed photographs, wall art
`);

const bathroom = group('object', `
toilet, bathtub, shower head, bathroom sink, toothbrush, toothpaste=a tube of toothpaste, soap=a bar of soap,
hair dryer, hairbrush, comb, razor, makeup=makeup, lipstick, nail polish=nail polish, perfume=a perfume bottle,
toilet paper=a roll of toilet paper, rubber duck, pill=pills, bandage, stethoscope, wheelchair, crutch=crutches,
face mask, glasses|eyeglasses|spectacles=glasses, sunglasses=sunglasses, x-ray image=an x-ray image,
hospital bed, electric toothbrush, shampoo bottle, shaving cream=shaving cream, makeup brush,
cotton swab=cotton swabs, tissue box, bathroom scale, pill bottle, walking stick, surgical mask, shower curtain,
hair straightener, curling iron, pregnancy test, cast=a plaster cast on an arm, sunscreen=a bottle of sunscreen,
thermometer, syringe
`);

// ---------------------------------------------------------------------------------------------- electronics

const electronics = group('object', `
smartphone|mobile phone|cell phone, laptop, desktop computer, computer monitor, computer keyboard,
computer mouse, tablet computer|tablet|ipad, e-reader, smartwatch, headphones=headphones,
wireless earbuds=wireless earbuds, loudspeaker, bluetooth speaker, television|tv,
old television=an old crt television, projector, remote control, game console, game controller, vr headset,
digital camera, dslr camera, security camera, drone, camera lens, tripod, usb flash drive, phone charger,
battery=batteries, wifi router, printer, 3d printer, scanner, calculator, radio, walkie-talkie, telephone,
rotary phone, cassette tape, cd=a compact disc, vinyl record, record player|turntable, boombox, microphone,
robot, humanoid robot, satellite dish, floppy disk, computer screen=a computer screen, solar panel,
arcade machine, slot machine, atm|cash machine, vending machine, cash register, fitness tracker, smart speaker,
soundbar, handheld game console, film camera, instant camera, action camera, camcorder, webcam, gimbal,
ring light, memory card, external hard drive, graphics card, server rack, usb cable, power bank, cd player, dvd,
mp3 player, amplifier, audio mixer, dj controller, video doorbell, dashcam, antenna,
multiple monitors=a desk with multiple monitors, circuit board, soldering iron, led light=led lights, neon light,
selfie stick, phone case, electronic keyboard, synthesizer, metal detector, walkman, pinball machine,
film roll=a roll of film, polaroid photo, raspberry pi=a raspberry pi board
`);

// ---------------------------------------------------------------------------------------------- clothing

const clothing = group('object', `
clothing=clothes, shirt, t-shirt, sweater|jumper, hoodie, cardigan, jacket, leather jacket, denim jacket, blazer,
suit, tuxedo, raincoat, trench coat, jeans=a pair of jeans, trousers=a pair of trousers, shorts=a pair of shorts,
skirt, dress, wedding dress, ball gown, kimono, sari, uniform, school uniform, swimsuit, bikini, pajamas=pajamas,
bathrobe, sock=socks, scarf, glove=gloves, hat, baseball cap, beanie, cowboy hat, beret, bicycle helmet,
motorcycle helmet, hard hat, necktie|tie, bow tie, belt, costume, wedding veil, graduation gown,
graduation cap|mortarboard, shoe, sneaker=sneakers, high heel=high heels, boot=boots, hiking boot=hiking boots,
sandal=sandals, flip-flop=flip-flops, wristwatch|watch, necklace, bracelet, ring=a ring on a finger,
engagement ring, wedding ring, earring=earrings, tiara, crown, jewelry=jewelry, fabric=fabric, mannequin,
polo shirt, tank top, sweatshirt, puffer jacket, winter coat, parka, evening gown, tracksuit, military uniform,
swim trunks=swim trunks, tights=tights, leggings=leggings, mitten=mittens, sun hat, straw hat, top hat, fedora,
headband, bandana, halloween costume, superhero costume, masquerade mask, wig, lab coat, chef hat, poncho,
running shoe=running shoes, rain boot=rain boots, cowboy boot=cowboy boots, slipper=slippers,
dress shoe=dress shoes, clutch bag, duffel bag, fanny pack|bum bag, pendant, pearl necklace, jewelry box,
yarn=a ball of yarn, button=buttons, fur coat, folded clothes=folded clothes, baby clothes=baby clothes, vest,
blouse, kilt, turban, hijab
`);

// ---------------------------------------------------------------------------------------------- tools

const tools = group('object', `
tool=tools, hammer, screwdriver, wrench|spanner, pliers=pliers, hand saw, power drill, chainsaw, axe,
shovel|spade, rake, wheelbarrow, lawn mower, ladder, toolbox, tape measure, paintbrush,
pocket knife|swiss army knife, rope, workbench, lumber=lumber, firewood=firewood, brick=bricks,
scaffolding=scaffolding, sewing machine, magnifying glass, compass, binoculars=binoculars, telescope, microscope,
cordless drill, circular saw, hoe, pitchfork, leaf blower, hedge trimmer, pruning shears=pruning shears,
garden trowel, step ladder, spirit level, paint can, paint roller, nail=metal nails, screw=screws, clamp, chisel,
crowbar, sledgehammer, utility knife, headlamp, safety goggles=safety goggles, work gloves=work gloves,
chain=a metal chain, duct tape=a roll of duct tape, glue gun, pressure washer, sawhorse, spray can, anvil,
sewing needle, knitting needles=knitting needles, test tube, beaker, seed packet, snow shovel, magnet,
safety vest, generator
`);

// ---------------------------------------------------------------------------------------------- sports and play

const sportsGear = group('object', `
ball, soccer ball|football, american football, golf ball, tennis ball, beach ball, baseball bat, baseball glove,
cricket bat, tennis racket, golf club, hockey stick, skateboard, surfboard, snowboard, ski=skis,
ice skate=ice skates, roller skate=roller skates, boxing glove=boxing gloves, punching bag, dumbbell, barbell,
kettlebell, treadmill, yoga mat, frisbee, kite, trampoline, swing, playground slide, seesaw, basketball hoop,
soccer goal, fishing rod, tent, sleeping bag, camping stove, life jacket, wetsuit, bow and arrow, dartboard,
dart=darts, pool table|billiards table, whistle, sports jersey, saddle, parachute, paraglider,
racing bib=a race number bib, rugby ball, bowling ball, volleyball ball=a volleyball,
basketball ball=a basketball, baseball ball=a baseball, badminton racket, shuttlecock, ping pong paddle,
golf bag, hockey puck, longboard, ski pole=ski poles, ski boot=ski boots, exercise bike, rowing machine,
jump rope, tackle box, camping chair, trekking pole=trekking poles, carabiner, climbing harness, paddle,
oar=oars, snorkel mask, archery target, billiard ball=billiard balls, bowling pin=bowling pins, stopwatch,
football boot=football boots, hang glider, snowshoe=snowshoes, knee pad=knee pads, bicycle pump, bike lock,
finish line, ski goggles=ski goggles, swim goggles=swim goggles, referee, sled|sledge
`);

const toys = group('object', `
toy=toys, teddy bear, stuffed animal|plush toy|soft toy, doll, action figure, toy car, toy train,
lego|lego bricks=lego bricks, jigsaw puzzle, rubik's cube, board game, chessboard, playing card=playing cards,
dice=dice, rocking horse, puppet, soap bubble=soap bubbles, crayon=crayons, coloring book, dollhouse,
video game=a video game on a screen, mahjong tiles=mahjong tiles, poker chip=poker chips, comic book,
sand castle, snowman, sparkler, toy truck, model train, toy blocks=wooden toy blocks, chess piece=chess pieces,
domino=dominoes, marble=marbles, hand puppet, play dough=modeling clay, bucket and spade=a bucket and spade,
hula hoop, toy kitchen, ball pit, wooden toy, baby toy, toy airplane, paper airplane, fidget spinner,
card game=a card game, trading card=trading cards, toy dinosaur, nutcracker, water gun, remote control car,
model airplane, yo-yo, matryoshka doll
`);

const instruments = group('object', `
musical instrument, guitar, acoustic guitar, electric guitar, bass guitar, ukulele, banjo, violin, cello,
double bass, harp, piano, grand piano, pipe organ, accordion, harmonica, flute, clarinet, saxophone, trumpet,
trombone, french horn, tuba, bagpipes=bagpipes, drum, drum kit, tambourine, xylophone, bell, sitar,
maracas=maracas, music stand, viola, upright piano, oboe, snare drum, djembe, cymbal, gong, steel drum,
metronome, guitar amp, guitar pick, drumsticks=drumsticks, piano keys=piano keys, guitar case, mandolin,
church bell, bongo=bongo drums
`);

// ---------------------------------------------------------------------------------------------- vehicles

const vehicles = group('object', `
car, suv, pickup truck, van, minivan, sports car, convertible, race car, classic car|vintage car, limousine,
taxi, police car, ambulance, fire truck|fire engine, truck|lorry, dump truck, garbage truck, tow truck,
bulldozer, excavator, construction crane, forklift, tractor, combine harvester, bus, school bus,
double-decker bus, tram|streetcar, train, steam locomotive, high-speed train, subway train, freight train,
monorail, cable car, motorcycle|motorbike, motor scooter|moped, quad bike|atv, bicycle|bike, mountain bike,
electric bike, tricycle, electric scooter, kick scooter, golf cart, snowmobile, horse-drawn carriage, rickshaw,
tuk-tuk|auto rickshaw, camper van, motorhome|rv, food truck, tank=a military tank, jeep, electric car, boat,
sailboat, yacht, motorboat, speedboat, canoe, kayak, gondola, ferry, cruise ship, container ship, fishing boat,
tugboat, tall ship, submarine, jet ski, stand-up paddleboard|paddleboard, warship|battleship, aircraft carrier,
airplane|aeroplane|plane, airliner|passenger jet, fighter jet, seaplane, helicopter, hot air balloon,
blimp|airship, rocket, space shuttle, steering wheel, tire|tyre, wheel, car dashboard, car engine, car interior,
traffic light, traffic cone, fire hydrant, street lamp|lamppost, gas pump|petrol pump, shipping container, sedan,
hatchback, station wagon, supercar, formula one car, muscle car, semi truck, delivery truck, backhoe loader,
road roller, tour bus, minibus, locomotive, passenger train, road bike, bmx bike, tandem bicycle, cargo bike,
segway, go-kart, trailer, caravan, ice cream truck, off-road vehicle, dune buggy, monster truck, rowboat,
inflatable boat, houseboat, hovercraft, lifeboat, barge, narrowboat, private jet, propeller plane, biplane,
glider, satellite, air show=an air show, contrail=a contrail in the sky, headlight, windshield, car door,
flat tire, parking meter, manhole cover, toll booth, roundabout, wagon, mobility scooter, vespa, unicycle,
catamaran, bus stop, ev charging station, bike rack, car wash, traffic jam=a traffic jam, dirt bike,
car crash=a car accident, concrete mixer truck, pirate ship
`);

// ---------------------------------------------------------------------------------------------- buildings and structures

const buildings = group('object', `
house, apartment building, skyscraper, office building, tower, clock tower, church, cathedral, chapel, mosque,
temple, synagogue, pagoda, shrine, monastery, castle, palace, fortress, mansion, log cabin, barn, farmhouse,
cottage, chalet, igloo, treehouse, lighthouse, windmill, water tower, bridge, suspension bridge, aqueduct,
viaduct, dam, tunnel, monument, statue, triumphal arch, fountain, gazebo, pavilion, pyramid, ruin=ancient ruins,
building facade|facade, column=classical columns, arch|archway, dome, spire, balcony, staircase,
spiral staircase, escalator, elevator, roof, rooftop, chimney, brick wall, stone wall, fence, gate,
skyline=a city skyline, power plant, wind turbine, grain silo, market stall, phone booth|telephone box,
graffiti=graffiti, street art=street art, courtyard, abandoned building, yurt, torii gate, onion dome,
gravestone|headstone, modern house, old house, high-rise building, bell tower, hindu temple, buddhist temple,
minaret, city wall, villa, hut, shack, thatched cottage, townhouse, row house=a row of houses, bungalow,
stone bridge, footbridge, covered bridge, wooden bridge, rope bridge, memorial, bronze statue, marble statue,
equestrian statue, obelisk, pergola, roman ruins=roman ruins, ancient temple, amphitheater, steeple, gargoyle,
terrace, veranda, tiled roof, thatched roof, picket fence, iron gate, glass facade, cooling tower, oil rig, silo,
hangar, kiosk, bus shelter, mural, stained glass=stained glass, doorway, porch, cloister, colonnade, turret,
watchtower, radio tower, power line=power lines, electricity pylon, haunted house,
modern architecture=modern architecture, gothic architecture=gothic architecture, victorian house, adobe house,
stilt house, tiny house, beach hut, boathouse, lifeguard tower, jetty, well=a water well, water wheel,
totem pole, stupa, tomb, war memorial, cabin, mosaic, greenhouse, warehouse, factory building, wall
`);

// Famous places: proper names, so each carries its own article.
const landmarks = group('object', `
eiffel tower=the eiffel tower, statue of liberty=the statue of liberty, big ben=big ben, taj mahal=the taj mahal,
great wall of china=the great wall of china, golden gate bridge=the golden gate bridge,
sydney opera house=the sydney opera house, leaning tower of pisa=the leaning tower of pisa,
machu picchu=machu picchu, parthenon=the parthenon, sagrada familia=the sagrada familia,
arc de triomphe=the arc de triomphe, burj khalifa=the burj khalifa, empire state building=the empire state building,
colosseum=the colosseum in rome, stonehenge=stonehenge, pantheon=the pantheon in rome, tokyo tower=tokyo tower,
space needle=the space needle in seattle, times square=times square in new york, london eye=the london eye,
trevi fountain=the trevi fountain, louvre pyramid=the louvre pyramid, forbidden city=the forbidden city,
neuschwanstein castle=neuschwanstein castle, notre dame cathedral=notre dame cathedral in paris,
acropolis=the acropolis of athens, petra=petra in jordan, angkor wat=angkor wat, christ the redeemer=christ the redeemer statue,
brandenburg gate=the brandenburg gate, tower bridge=tower bridge in london, mount rushmore=mount rushmore,
alhambra=the alhambra, kremlin=the kremlin, mount fuji=mount fuji, grand canyon=the grand canyon,
niagara falls=niagara falls, uluru=uluru, matterhorn=the matterhorn, mount everest=mount everest,
golden temple=the golden temple, pyramids of giza=the pyramids of giza, great sphinx=the great sphinx of giza,
chichen itza=chichen itza, hagia sophia=the hagia sophia, st peter's basilica=st peter's basilica,
sacre-coeur=the sacre-coeur basilica, cn tower=the cn tower, gateway arch=the gateway arch in st louis,
marina bay sands=marina bay sands, petronas towers=the petronas towers, moai=the moai statues of easter island
`);

// ---------------------------------------------------------------------------------------------- art, office, misc

const artAndCraft = group('object', `
watercolor painting, abstract art, sketch, ice sculpture, pottery=pottery, easel, origami, scrapbook,
art supplies=art supplies, art installation, street performer, oil painting, pencil drawing, sketchbook, doodle,
wood carving, sand sculpture, potter's wheel, canvas=a blank canvas, paint palette,
colored pencil=colored pencils, marker pen=marker pens, collage, cross-stitch=cross-stitch, knitting=knitting,
crochet=crochet work, loom, stencil, craft supplies=craft supplies, theater stage=a theater stage, puppet show,
film set, movie camera, vintage camera, embroidery=embroidery, fountain pen
`);

const office = group('object', `
pen, pencil, highlighter, eraser, ruler, stapler, paper clip=paper clips, scissors=scissors, notebook, binder,
file folder, pencil case, book, stack of books=a stack of books, textbook, magazine, diary, clipboard,
rubber stamp, typewriter, filing cabinet, briefcase, chalk=chalk, parcel|package=a parcel, ballpoint pen,
pencil sharpener, push pin=push pins, notepad, ring binder, open book, bookmark,
stack of magazines=a stack of magazines, journal, hole punch, whiteboard marker=whiteboard markers, school bag,
post box, bubble wrap=bubble wrap, shipping box=a shipping box, coin collection, dictionary, locker, comic
`);

const natureThings = group('object', `
rock, boulder, gemstone, crystal, fossil, seashell, sand=sand, feather, bird nest=a bird's nest, snowflake,
icicle=icicles, raindrop=raindrops, cloud, moon, full moon, sun=the sun, star=stars, milky way=the milky way,
aurora|northern lights=the northern lights, lightning=lightning, tornado, rainbow, fog=fog, smoke=smoke,
fire=fire, campfire, bonfire, fireworks=fireworks, lava=lava, eclipse=a solar eclipse, pebble=pebbles,
stone=a stone, conch shell, footprint=footprints, animal track=animal tracks, ice=ice, frost=frost,
water droplet=water droplets, dew=morning dew, puddle, mud=mud, crescent moon, sunbeam, ripple=ripples on water,
tree bark, flame=flames, double rainbow, mist=mist, storm cloud=storm clouds, driftwood=driftwood, silhouette,
wave=an ocean wave, sand dune, shadow=a shadow, reflection=a reflection in water, comet
`);

// ---------------------------------------------------------------------------------------------- scenes

const naturalScenes = group('scene', `
beach, coastline, cliff, ocean, sea, lagoon, island, tropical island, coral reef, lake, pond, river, creek,
waterfall, marsh, swamp, forest, bamboo forest, rainforest, jungle, forest path, mountain, snowy mountain, hill,
valley, canyon, desert, oasis, salt flat, volcano, hot spring, geyser, glacier, iceberg, fjord, tundra, savanna,
grassland, meadow, field, wheat field, corn field, rice paddy, orchard, vineyard, pasture, ranch, cave,
rock formation, national park, countryside, landscape=a landscape, sky=the sky, cloudy sky, night sky,
starry sky, sunset=sunset, sunrise=sunrise, golden hour=the golden hour, night=night, thunderstorm, rain=rain,
snow=snow, autumn=autumn, autumn foliage=autumn foliage, frozen lake, wildfire=a wildfire,
summit=a mountain summit, aerial view=an aerial view, sandy beach, rocky beach, coast, seashore, sea cliff, bay,
riverbank, stream, rapids=river rapids, river delta, wetland, mangrove forest, pine forest, autumn forest,
snowy forest, forest clearing, mountain range, mountain peak, mountain path, alpine meadow,
rolling hills=rolling hills, gorge, plateau, mesa, rocky desert, crater, prairie, flower meadow, farmland,
cave interior=the inside of a cave, rock arch, sea stack, tide pool, lakeshore, waterfront, wilderness,
hiking trail, rural landscape, seascape=a seascape, panorama=a panoramic view, scenic view=a scenic view,
viewpoint, blue sky=a clear blue sky, overcast sky, dramatic sky, dusk=dusk, moonlight=moonlight,
snowfall=falling snow, blizzard, foggy landscape=a foggy landscape, misty morning=a misty morning,
spring=spring blossom season, summer=summer, winter=winter, winter landscape, frozen river, flood=a flood,
black sand beach, cove, palm beach=a beach with palm trees, stormy sea=a stormy sea, horizon=the horizon,
underwater=underwater, woodland, mountain lake, tropical beach, dune=sand dunes
`);

const urbanScenes = group('scene', `
stage=a stage with lights, city, city street, street, alley, downtown, old town, residential neighborhood, suburb, village, plaza, park,
playground, skate park, campus, city at night=a city at night, cityscape, harbor, marina, pier, boardwalk,
promenade, canal, highway, crosswalk|zebra crossing, parking lot|car park, gas station, bus station,
train station, subway station|metro station|underground station, railroad track|railway track, airport,
airport terminal, runway, construction site, industrial area, junkyard, street market, flea market,
farmers market, bazaar, shopping mall, supermarket, convenience store, shop front|storefront, bakery,
butcher shop, fish market, florist shop|flower shop, bookstore, clothing store, pet shop, pharmacy,
car dealership, auto repair shop|garage workshop, hair salon, barber shop, post office, bank, hospital,
hospital room, operating room, veterinary clinic, school, classroom, lecture hall, library, laboratory,
gymnasium|gym, swimming pool, water park, amusement park, roller coaster, ferris wheel, carousel|merry-go-round,
fairground, circus, zoo, aquarium, botanical garden, museum, art gallery, theater|theatre, cinema|movie theater,
stadium, golf course, tennis court, basketball court, soccer field|football pitch, ice rink, ski resort,
ski slope, bowling alley, casino, arcade, nightclub, bar, winery, restaurant, cafe|coffee shop, pizzeria,
food court, cafeteria, restaurant kitchen, hotel, hotel room, resort, beach resort, campsite, picnic area,
cemetery, church interior, ballroom, conference room, office, home office, corridor|hallway, server room,
tv studio, recording studio, art studio, sauna, spa, public restroom, busy street, boulevard, city center,
small town, town square, market square, schoolyard, university campus, main street, shopping street,
cobblestone street, street at night=a city street at night, rooftop view=a view from a rooftop, port, dock, road,
country road, dirt road, mountain road, winding road, intersection, traffic=traffic, railway platform,
factory floor, warehouse interior, shipyard, night market, christmas market, department store, grocery store,
toy store, hardware store, electronics store, gift shop, antique shop, thrift store, nail salon, tattoo parlor,
beauty salon, government building, prison, emergency room, doctor's office, dental office, clinic, science lab,
kindergarten, fitness center, indoor pool, theme park, art museum, natural history museum, science museum,
opera house, auditorium, football stadium, baseball stadium, baseball field, volleyball court, ski lift,
cocktail bar, brewery, beer garden, fast food restaurant, sushi bar, buffet, hotel lobby, motel, hostel,
campground, mosque interior, temple interior, altar, throne room, banquet hall, meeting room, open-plan office,
cubicle, waiting room, control room, data center, photo studio, dance studio, yoga studio, climbing gym,
locker room, lobby, chinatown, pub, diner, ice cream parlor, arena, race track, cathedral interior, concert hall,
police station, fire station, courthouse, city hall, laundromat
`);

const homeScenes = group('scene', `
living room, bedroom, kids bedroom|children's bedroom, kitchen, dining room, bathroom, laundry room, basement,
attic, garage, playroom, dorm room, patio, deck, backyard|back garden, garden, vegetable garden, flower garden,
japanese garden, lawn, driveway, shed, stable, chicken coop, airplane window=a view from an airplane window,
airplane cabin, train interior, cockpit, nursery room=a baby nursery, walk-in closet, home gym, game room,
apartment interior=an apartment interior, entryway, sunroom, conservatory, front yard, rose garden, garden path,
tree house, farmyard, messy room=a messy room, empty room=an empty room, renovation=a room under renovation,
breakfast table=a breakfast table, window view=a view out of a window, ship deck, home theater,
dinner table=a set dinner table, workshop
`);

// ---------------------------------------------------------------------------------------------- activities and events

const activities = group('activity', `
writing=writing by hand, hiking, walking, running, jogging, cycling=riding bicycles, camping, fishing, swimming, diving, snorkeling,
surfing, sailing, kayaking, canoeing, rowing, skiing, snowboarding, ice skating, skateboarding,
building a snowman, rock climbing, mountaineering, paragliding, skydiving, bungee jumping,
horseback riding=riding horses, driving=driving a car, cooking, baking, eating, drinking, having a picnic,
having a barbecue, reading, studying, working=working at a computer, teaching, gardening, cleaning,
washing dishes, shopping, grocery shopping, sightseeing, taking a selfie, taking photos=taking photographs,
sunbathing, sleeping, doing yoga, weightlifting, boxing, doing martial arts, doing gymnastics, dancing,
ballet dancing, singing, singing karaoke, playing guitar, playing piano, playing drums, performing on stage,
watching tv, watching a movie, playing video games, playing board games, playing cards, playing chess,
playing with a dog, walking the dog, feeding animals, stargazing, playing in the snow, building a sandcastle,
playing on a playground, celebrating, protesting, praying, flying a kite,
blowing out candles=blowing out birthday candles, opening presents, decorating a christmas tree,
carving a pumpkin, trick-or-treating, feeding a baby, roasting marshmallows, mountain biking, scuba diving,
windsurfing, rafting, paddleboarding, water skiing, roller skating, sledding, having a snowball fight,
bouldering, ziplining, riding a motorcycle, grilling=grilling food on a barbecue,
toasting=raising glasses in a toast, presenting=giving a presentation, sewing, harvesting, farming,
mowing=mowing the lawn, doing laundry, traveling, relaxing, meditating, working out=working out at the gym,
fencing, doing karate, playing violin, playing music, feeding birds, bird watching, playing in the sand, jumping,
kissing, hugging, holding hands, laughing, talking, waving, posing=posing for a photo, cheering,
queuing=waiting in line, painting eggs=painting easter eggs, fixing a car, carrying a child, bathing a baby,
getting a haircut, packing a suitcase, moving house, camping by a fire=sitting around a campfire,
wading=wading in water, jumping into water, playing with toys, blowing bubbles
`);

const sports = group('activity', `
soccer, basketball, tennis, baseball, american football game=american football, volleyball, beach volleyball,
golf, cricket, rugby, ice hockey, table tennis, badminton, bowling, softball, field hockey, squash, handball,
water polo, lacrosse, billiards, curling, darts
`, { phrase: 'playing {}' });

const sportEvents = group('activity', `
motor racing=racing cars, horse racing=racing horses, archery=doing archery, figure skating,
mixed martial arts=fighting in mixed martial arts, triathlon=competing in a triathlon,
cycling race=racing bicycles, rodeo=riding in a rodeo, athletics=competing in track and field,
dog show=showing dogs, marathon=running a marathon
`);

const events = group('event', `
wedding, birthday party, graduation, graduation ceremony, baby shower, baptism|christening, funeral,
family reunion, dinner party, pool party, new year's eve party, christmas=christmas, christmas dinner,
thanksgiving dinner, easter=easter, easter egg hunt, halloween=halloween, hanukkah=hanukkah, diwali=diwali,
chinese new year=chinese new year, eid=eid, holi=the holi festival, oktoberfest=oktoberfest, carnival,
fireworks display, parade, festival, music festival, concert, school play, fashion show, conference,
award ceremony, prom, football match, basketball game, baseball game, tennis match, protest,
barbecue party=a barbecue party, picnic=a picnic, road trip=a road trip, vacation=a vacation, family dinner,
wedding ceremony, wedding reception, surprise party, first communion, memorial service,
religious service=a church service, garden party, house party, tea party, costume party, halloween party,
christmas party, day of the dead=day of the dead, food festival, street festival, county fair, rock concert,
classical concert, recital, dance recital, talent show, magic show, art exhibition, trade show, convention,
business meeting, lecture, press conference, field trip, boxing match, sports day, rally=a political rally,
vigil, military parade, lantern festival, pride parade, street party, beach party, office party, camping trip,
holiday=a holiday trip, honeymoon, cruise=a cruise holiday, safari=a safari, science fair, auction,
housewarming party, first day of school, graduation party, engagement party,
anniversary=an anniversary celebration, bar mitzvah
`);

// ---------------------------------------------------------------------------------------------- documents

const documents = group('document', `
document, receipt, restaurant bill, invoice, menu, handwritten note, letter, envelope, postcard, greeting card,
wedding invitation, flyer, brochure, magazine page, newspaper, book page, book cover, table of contents,
bank statement, utility bill, form=a paper form, contract, certificate, diploma, passport, id card,
driver's license, boarding pass, train ticket, concert ticket, movie ticket, ticket, parking ticket, luggage tag,
label, price tag, shipping label, barcode, qr code, recipe, recipe card, shopping list, to-do list, checklist,
calendar, wall calendar, planner page, notebook page, sticky note, whiteboard, chalkboard|blackboard,
presentation slide, spreadsheet, chart, graph, diagram, floor plan, blueprint, map, sheet music,
crossword puzzle, sudoku, comic strip, infographic, instruction manual, prescription, medical report,
check=a bank cheque, stamp=a postage stamp, gift card, name badge, business card, exam paper,
lecture notes=lecture notes, screenshot, sign, street sign, road sign, stop sign, shop sign, neon sign,
billboard, banner, information board, notice board|bulletin board, timetable, departure board, scoreboard,
signpost, plaque, license plate|number plate, poster, movie poster, protest sign, calligraphy, resume|cv,
flipchart, historical document, page of text=a page of text, handwritten letter, leaflet, newspaper article,
magazine cover, invitation, textbook page, pay slip, application form, bus ticket,
whiteboard drawing=a whiteboard with diagrams, bar chart, pie chart, flowchart, architectural drawing, city map,
subway map, world map, assembly instructions=assembly instructions, notes=handwritten notes, letterhead,
phone screenshot, web page screenshot, chat screenshot, code screenshot=a screenshot of source code,
error message=an error message on a screen, app screen=a mobile app screen, traffic sign, direction sign,
welcome sign, house number, nameplate, menu board, concert poster, wine label,
nutrition label=a nutrition facts label, product packaging, cereal box, medicine box, ticket stub,
lottery ticket, guest book, place card, birth certificate, marriage certificate, parking fine,
credit card statement, electricity bill, grocery receipt, hotel bill, flight itinerary, report card, homework,
worksheet, manuscript, old letter, old document, index card, flash card=flash cards, handwritten sign,
chalk sign=a chalk sign on a sidewalk, bus timetable, train timetable, headline=a newspaper headline,
printout=a printout, e-ticket=an e-ticket on a phone, student card, loyalty card, library card, membership card,
voucher, coupon, insurance card, vaccination card, christmas card, birthday card, restaurant menu,
newspaper clipping, signature, handwriting, tax form, warning sign, chalkboard menu, arrival board,
schedule=a printed schedule
`);

const colours = group('colour', `
red, orange, yellow, green, blue, purple, pink, brown, black, white, gray|grey, beige, turquoise, teal,
maroon, gold, silver, cyan, cream, ivory, khaki, burgundy, indigo, sepia, black and white|monochrome, colorful|colourful|multicoloured, amber, bronze, copper, pastel
`);

/** Themed groups, so categories can map whole groups and tests can check coverage. */
export const GROUPS = {
  people,
  pets,
  dogBreeds,
  catBreeds,
  farmAnimals,
  wildMammals,
  seaMammals,
  birds,
  reptiles,
  seaLife,
  insects,
  trees,
  flowers,
  otherPlants,
  fruits,
  vegetables,
  dishes,
  sweets,
  drinks,
  kitchenware,
  household,
  bathroom,
  electronics,
  clothing,
  tools,
  sportsGear,
  toys,
  instruments,
  vehicles,
  buildings,
  landmarks,
  artAndCraft,
  office,
  natureThings,
  naturalScenes,
  urbanScenes,
  homeScenes,
  activities,
  sports,
  sportEvents,
  events,
  documents,
  colours,
} as const satisfies Record<string, readonly VocabularyEntry[]>;

export type GroupName = keyof typeof GROUPS;

export const VOCABULARY: readonly VocabularyEntry[] = Object.values(GROUPS).flat();

/** Names of one or more groups, for category mappings. */
export function groupNames(...names: GroupName[]): string[] {
  return names.flatMap((g) => GROUPS[g].map((e) => e.name));
}

// "a" or "an" by sound, for the words that break the vowel-letter rule.
const AN_WORDS = /^(hour|honest|honou?r|heir|(x-ray|suv|atm|mp3|rv|hdmi|led|lcd|mri|f1|fm|sd|st)\b)/;
const A_WORDS = /^(uni|use|usu|usb|uti|ufo|uk|ure|uro|eu|ewe|one\b|once)/;

function article(word: string): 'a' | 'an' {
  if (AN_WORDS.test(word)) return 'an';
  if (A_WORDS.test(word)) return 'a';
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** Fixes "a" and "an" everywhere in a finished prompt ("a orange photo." → "an orange photo."). */
export function fixArticles(text: string): string {
  return text.replace(/\b(a|an) ([a-z0-9][\w'-]*)/g, (_, _art: string, word: string) => `${article(word)} ${word}`);
}

/** The noun phrase of an entry (or of one of its aliases) before it goes into the templates. */
function phraseOf(entry: VocabularyEntry, word = entry.name): string {
  if (word === entry.name && entry.prompt) return entry.prompt;
  if (entry.kind === 'activity' || entry.kind === 'colour') return word;
  // An alias of a mass noun ("fries" for "french fries") stays bare like its entry.
  const bare = entry.prompt !== undefined && !/^(a|an|the) /.test(entry.prompt);
  return bare ? word : `a ${word}`;
}

/**
 * The texts embedded for one entry: every template with its phrase, then each alias in the first template.
 * Averaged into one tag vector by `buildTagMatrix`.
 */
export function promptsFor(entry: VocabularyEntry): string[] {
  const templates = TEMPLATES[entry.kind];
  const main = templates.map((t) => fixArticles(t.replace('{}', phraseOf(entry))));
  const aliases = (entry.aliases ?? []).map((alias) => fixArticles(templates[0]!.replace('{}', phraseOf(entry, alias))));
  return [...new Set([...main, ...aliases])];
}
