// The search page (/cari/): runs the Pagefind index in the browser and shows the results
// grouped by type. Without JavaScript the page shows its <noscript> explanation and browse links.
// Pagefind knows no variant spelling and forgives no typo: when a search finds (almost) nothing,
// the query is corrected word by word with the site's word list (kata.json, spelling.py).
const form = document.getElementById("form-cari");
const input = document.getElementById("q");
const statusLine = document.getElementById("status-cari");
const results = document.getElementById("hasil-cari");
const GROUPS = results.dataset.groups.split("|");
const PER_GROUP = 5; // per group at first: fewer requests on a slow connection
const EXCERPT = 24; // words around the match
const FEW = 2; // this many results or fewer: the query is also corrected, if that finds more
let ready = null;
let words = null; // the word list, fetched after the first search that finds (almost) nothing
let replaced = new Set();
let latest = 0;

// A preview build may add a small second index of the pages changed since the last whole
// index (tambahan.json names it and the results it replaces); a published site has none.
async function load() {
  const bundle = new URL(form.dataset.pagefind, location.href);
  const [pagefind, changes] = await Promise.all([
    import(bundle.href),
    fetch(new URL("tambahan.json", bundle), { cache: "no-cache" })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({})),
  ]);
  await pagefind.options({ excerptLength: EXCERPT });
  replaced = new Set();
  if (changes.tambahan) {
    try {
      await pagefind.mergeIndex(new URL(changes.tambahan, bundle).pathname, { excerptLength: EXCERPT });
      replaced = new Set(changes.diganti || []);
    } catch (error) {
      console.warn("indeks tambahan tidak termuat", error); // the kept index still answers
    }
  }
  return pagefind;
}

function engine() {
  if (!ready) {
    ready = load().catch((error) => {
      ready = null; // a failed load is tried again by the next search
      throw error;
    });
  }
  return ready;
}

// The spelling help (ejaan.js) and the site's word list, loaded once, when a search first
// needs them; null when they cannot be had (the search works without them).
function wordList() {
  if (!words) {
    words = import(new URL("ejaan.js", import.meta.url))
      .then(async (ejaan) => ({ ejaan, list: await ejaan.wordList(new URL(form.dataset.kata, location.href)) }))
      .catch((error) => {
        console.warn("daftar kata tidak termuat", error);
        words = null; // tried again by the next search
        return null;
      });
  }
  return words;
}

// A word as compared: lower case, without the punctuation around it (ejaan.js uses it too).
export const bare = (text) => text.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");

function current(results) {
  const seen = new Set();
  return results.filter((r) => !replaced.has(r.id) && !seen.has(r.id) && seen.add(r.id));
}

function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text and adds only <mark>
  li.append(link, excerpt);
  return li;
}

// `jenis`: the group's name, in the button ("Tampilkan 3 layanan lagi"), which a screen reader
// may read among the page's buttons, away from the group's heading.
async function showGroup(section, list, found, shown, jenis) {
  const next = found.slice(shown, shown + PER_GROUP);
  const datas = await Promise.all(next.map((r) => r.data()));
  datas.forEach((d) => list.append(item(d)));
  const more = section.querySelector("button");
  if (more) more.remove();
  const total = shown + next.length;
  if (total < found.length) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "more";
    button.textContent =
      `Tampilkan ${Math.min(PER_GROUP, found.length - total)} ${jenis.toLowerCase()} lagi`;
    button.addEventListener("click", () => {
      showGroup(section, list, found, total, jenis)
        .then(() => list.children[total]?.querySelector("a")?.focus());
    });
    section.append(button);
  }
}

async function search(query, exact = false) {
  const run = ++latest;
  results.setAttribute("aria-busy", "true"); // groups arrive one by one
  try {
    await showResults(query, run, exact);
  } catch (error) {
    // e.g. the index did not arrive on a dropped connection: say so, not "Mencari…" forever
    console.warn("pencarian gagal", error);
    if (run === latest) {
      statusLine.textContent = "Pencarian tidak dapat dimuat. Periksa sambungan internet Anda, " +
        "lalu tekan Cari lagi.";
    }
  } finally {
    if (run === latest) {
      results.removeAttribute("aria-busy");
      results.classList.remove("menunggu"); // the room kept for results that were on the way
    }
  }
}

async function find(pf, query) {
  const found = await Promise.all(GROUPS.map((jenis) => pf.search(query, { filters: { jenis } })));
  found.forEach((f) => (f.results = current(f.results)));
  return found;
}

const count = (found) => found.reduce((n, f) => n + f.results.length, 0);

// Whether a lone word was found only through Pagefind's fallback: a word the index lacks is
// searched by the longest beginning of it (of its stem) that the index has, down to one
// letter: "akte" finds every "a", "apotik" the "AP" of "DCAT-AP". Seen in the first result
// (shown anyway): each word matched there, in the part nearest to what was typed, is then
// shorter than 3 letters or a beginning of the typed word that the Indonesian stemmer does
// not explain ("dokter" for "dokterr", but not "lengkap" for "lengkapi" or "lengkapinya").
const SUFFIXES = /^(?:kan|an|i)?(?:ku|mu|nya)?(?:kah|lah|pun)?$/;

async function fellBack(found, query) {
  const typed = bare(query);
  if (/\s/.test(query) || typed.length < 3) return false;
  const first = found.find((f) => f.results.length)?.results[0];
  if (!first) return false;
  const data = await first.data();
  const text = data.content.trim().split(/\s+/);
  const shared = (part) => {
    let n = 0;
    while (n < part.length && part[n] === typed[n]) n++;
    return n;
  };
  return data.locations.length > 0 && data.locations.every((at) => {
    const parts = (text[at] || "").toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
    const part = parts.reduce((a, b) => (shared(b) > shared(a) ? b : a), parts[0] || "");
    return part.length < 3 || (typed.startsWith(part) && !SUFFIXES.test(typed.slice(part.length)));
  });
}

// A link to this page searching `query`; `exact`: as typed, without correction.
function searchLink(text, query, exact) {
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  if (exact) url.searchParams.set("persis", "1");
  else url.searchParams.delete("persis");
  const link = document.createElement("a");
  link.href = url.href;
  link.textContent = text;
  const p = document.createElement("p");
  p.className = "search-correction";
  p.append(link);
  return p;
}

async function showResults(query, run, exact) {
  results.replaceChildren();
  query = query.trim();
  if (!query) {
    statusLine.textContent = "Tulis dulu kata yang dicari, misalnya nama layanan atau dokumen.";
    return;
  }
  statusLine.textContent = "Mencari…";
  const pf = await engine();
  let found = await find(pf, query);
  if (run !== latest) return;
  let total = count(found);
  const nothing = `Tidak ada halaman yang cocok dengan “${query}”. ` +
    "Coba kata lain atau telusuri menu di atas.";
  let status = total ? `${total} halaman cocok dengan “${query}”.` : nothing;
  // Nothing has what was typed: the corrected query's results are shown instead.
  const missed = !exact && (!total || (await fellBack(found, query)));
  const help = missed || (!exact && total <= FEW) ? await wordList() : null;
  if (run !== latest) return;
  const better = help && help.ejaan.correct(query, help.list);
  let corrected = false;
  if (better) {
    const other = await find(pf, better);
    if (run !== latest) return;
    const more = count(other);
    if (missed && more) {
      [found, total, corrected] = [other, more, true];
      status = `Tidak ada hasil untuk “${query}”. ` +
        `Menampilkan hasil untuk “${better}” (${more} halaman).`;
      results.append(searchLink(`Cari persis “${query}”`, query, true));
    } else if (more > total) {
      status += ` Mungkin maksud Anda “${better}”?`;
      results.append(searchLink(`Cari “${better}” (${more} halaman)`, better, false));
    }
  }
  if (missed && total && !corrected) {
    // Only Pagefind's fallback matched ("xyzabc" finds the "x" of "4 x 6 cm"), and no word
    // of the site is near it: nothing was found, as the citizen would see it.
    found = found.map(() => ({ results: [] }));
    [total, status] = [0, nothing];
  }
  if (run !== latest) return;
  statusLine.textContent = status;
  for (const [i, jenis] of GROUPS.entries()) {
    const hits = found[i].results;
    if (!hits.length) continue;
    const section = document.createElement("section");
    section.className = "result-group";
    const heading = document.createElement("h2");
    heading.textContent = `${jenis} (${hits.length})`;
    const list = document.createElement("ol");
    section.append(heading, list);
    results.append(section);
    await showGroup(section, list, hits, 0, jenis);
    if (run !== latest) return;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  url.searchParams.delete("persis"); // a new query is corrected again
  history.replaceState(null, "", url);
  search(input.value);
});

const params = new URLSearchParams(location.search);
const initial = params.get("q") || "";
input.value = initial;
if (initial) search(initial, params.has("persis"));
