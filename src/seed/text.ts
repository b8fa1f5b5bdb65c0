// Text that reads like English: faker's phrase generators build a pool of sentences once per
// seed, and every title, post and comment is put together from that pool and faker's word lists
// with our own PRNG. A faker call per row (5–20 µs) would dominate a million-row seed; picking
// from pools is well under a microsecond. faker.lorem is avoided on purpose: lorem ipsum does not
// look like what users write, and search or length-based UI checks then tell us nothing.
import { Faker, base, en } from '@faker-js/faker';
import { hashSeed, type Random } from './random.js';

/** @default 3000 sentences: enough that posts of up to 24 sentences are all different. */
const SENTENCE_POOL_SIZE = 3000;
/** The contract's limits (src/db/schema.ts documents them in the GraphQL descriptions). */
const MAX_TITLE_CHARS = 200;
const MAX_CONTENT_CHARS = 20_000;
const MAX_COMMENT_CHARS = 5000;

export type TextSource = {
  title(random: Random): string;
  content(random: Random): string;
  comment(random: Random): string;
};

const REACTIONS = [
  'Great post!',
  'Thanks for sharing.',
  'This is so true.',
  'I had no idea.',
  'Interesting take.',
  'Not sure I agree.',
  'Love this.',
  'Saving this for later.',
  'Well said.',
  'Could you explain more?',
  'Came here to say this.',
  'Exactly what I needed today.',
  'Ha, I know that feeling.',
  'Following.',
];

export function createTextSource(seed: number): TextSource {
  const faker = new Faker({ locale: [en, base], seed: hashSeed(seed, 'text') });
  const words = faker.definitions.word;
  const hacker = faker.definitions.hacker;
  const sentences = Array.from({ length: SENTENCE_POOL_SIZE }, () => sentence(faker));
  const bookTitles = Array.from({ length: 200 }, () => faker.book.title());
  const catchPhrases = Array.from({ length: 1000 }, () => faker.company.catchPhrase());

  const titleTemplates: ((r: Random) => string)[] = [
    (r) => r.pick(bookTitles),
    (r) => r.pick(catchPhrases),
    (r) => `The ${r.pick(words.adjective)} ${r.pick(words.noun)}`,
    (r) => `How to ${r.pick(words.verb)} ${withArticle(r.pick(words.noun))} ${r.pick(words.adverb)}`,
    (r) => `${r.between(3, 12)} things I learned about the ${r.pick(hacker.adjective)} ${r.pick(hacker.noun)}`,
    (r) =>
      `${withArticle(r.pick(words.adjective))} guide to ${r.pick(hacker.ingverb)} the ${r.pick(hacker.abbreviation)} ${r.pick(hacker.noun)}`,
    (r) => `Why I ${r.pick(words.verb)} my ${r.pick(words.noun)}`,
    (r) => `Notes on ${r.pick(words.noun)} and ${r.pick(words.noun)}`,
  ];
  const sentencesOf = (r: Random, count: number) => Array.from({ length: count }, () => r.pick(sentences)).join(' ');

  return {
    title: (r) => clip(capitalize(r.pick(titleTemplates)(r)), MAX_TITLE_CHARS),
    // 1–4 paragraphs of 2–6 sentences: a few hundred to a few thousand characters.
    content: (r) => clip(Array.from({ length: r.between(1, 4) }, () => sentencesOf(r, r.between(2, 6))).join('\n\n'), MAX_CONTENT_CHARS),
    // A third are a short reaction, sometimes followed by a thought; the rest 1–3 sentences.
    comment: (r) => {
      const reaction = r.next() < 1 / 3 ? r.pick(REACTIONS) : null;
      const thought = reaction && r.next() < 0.5 ? '' : sentencesOf(r, r.between(1, 3));
      return clip([reaction, thought].filter(Boolean).join(' '), MAX_COMMENT_CHARS);
    },
  };
}

/** One sentence from one of faker's phrase generators, ending in punctuation. */
function sentence(faker: Faker): string {
  const kind = faker.number.int(9);
  const text =
    kind <= 2
      ? faker.hacker.phrase()
      : kind === 3
        ? faker.commerce.productDescription()
        : kind === 4
          ? faker.food.description()
          : kind === 5
            ? faker.company.catchPhrase()
            : kind === 6
              ? faker.company.buzzPhrase()
              : kind === 7
                ? `The ${faker.word.adjective()} ${faker.word.noun()} will ${faker.word.verb()} the ${faker.word.noun()} ${faker.word.adverb()}`
                : kind === 8
                  ? `I ${faker.word.adverb()} ${faker.word.verb()} every ${faker.word.noun()} I meet`
                  : `${capitalize(faker.word.interjection())}, what ${withArticle(faker.word.adjective())} ${faker.word.noun()}`;
  const capitalized = capitalize(text.trim());
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

/** "a" or "an" by the first letter: close enough for generated text. */
function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Cut at a word boundary when over the limit (never the case for the pools above; a guard). */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut;
}
