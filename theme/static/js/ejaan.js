// Spelling help for the search page (/cari/), loaded by cari.js only after a search that finds
// (almost) nothing, so a search that works costs no byte of it. It corrects a query word by
// word with the site's word list (kata.json, spelling.py): a variant spelling or abbreviation
// becomes its standard form, an unlisted word the nearest listed word.

// (the page's own module, already running: importing it runs nothing again)
import { bare } from "./cari.js";

// The site's word list at `url`, ready for `correct`.
export async function wordList(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return prepare(await r.json());
}

// kata.json: {"kata": words, the most frequent first; "varian": {variant: standard form}}.
function prepare(data) {
  const byLength = [];
  data.kata.forEach((word, rank) => (byLength[word.length] ||= []).push([word, rank]));
  return { known: new Set(data.kata), byLength, variants: new Map(Object.entries(data.varian)) };
}

// The query corrected word by word, or null when nothing in it needs correcting: a variant
// spelling or abbreviation (of up to three words: "foto copy") becomes its standard form, a
// word of 3 letters or more that the list lacks becomes the nearest listed word.
export function correct(query, list) {
  const typed = query.split(/\s+/).filter(Boolean);
  const out = [];
  let changed = false;
  for (let i = 0; i < typed.length; ) {
    const joined = (n) => bare(typed.slice(i, i + n).join(" "));
    let n = Math.min(3, typed.length - i);
    while (n && !list.variants.has(joined(n))) n--;
    const better = n ? list.variants.get(joined(n)) : nearest(joined(1), list);
    changed ||= Boolean(better);
    out.push(better ? capitalLike(typed[i], better) : typed[i]);
    i += n || 1;
  }
  return changed ? out.join(" ") : null;
}

// `word` with a capital letter if `typed` begins with one and is not all capitals ("Akte"
// → "Akta", but "KK" → "kartu keluarga").
const capitalLike = (typed, word) =>
  /^\p{Lu}\p{Ll}/u.test(typed) ? word[0].toUpperCase() + word.slice(1) : word;

// The listed word nearest to `word` within 1 edit (2 for words of 8 letters or more), the more
// frequent of equally near ones; null for a listed word, a short one, one with digits, or
// when no listed word is that near.
function nearest(word, list) {
  if (word.length < 3 || !/^\p{L}+$/u.test(word) || list.known.has(word)) return null;
  const most = word.length >= 8 ? 2 : 1;
  let best = null;
  let bestDistance = most + 1;
  let bestRank = Infinity;
  for (let length = word.length - most; length <= word.length + most; length++) {
    for (const [candidate, rank] of list.byLength[length] || []) {
      const d = distance(word, candidate, most);
      if (d <= most && (d < bestDistance || (d === bestDistance && rank < bestRank))) {
        [best, bestDistance, bestRank] = [candidate, d, rank];
      }
    }
  }
  return best;
}

// Edits from a to b (a letter added, left out, replaced, or two neighbours swapped), or
// most + 1 as soon as it is sure to be more than `most`.
function distance(a, b, most) {
  let before = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const replace = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, replace);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], before[j - 2] + 1);
      }
    }
    if (Math.min(...row) > most) return most + 1;
    [before, previous] = [previous, row];
  }
  return previous[b.length];
}
