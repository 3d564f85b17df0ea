// The search page (/cari/): runs the Pagefind index in the browser and shows the results
// grouped by type. Without JavaScript the page shows its <noscript> explanation and browse links.
const form = document.getElementById("form-cari");
const input = document.getElementById("q");
const statusLine = document.getElementById("status-cari");
const results = document.getElementById("hasil-cari");
const GROUPS = results.dataset.groups.split("|");
const PER_GROUP = 5; // per group at first: fewer requests on a slow connection
const EXCERPT = 24; // words around the match
let ready = null;
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

async function showGroup(section, list, found, shown) {
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
    button.textContent = `Tampilkan ${Math.min(PER_GROUP, found.length - total)} lagi`;
    button.addEventListener("click", () => {
      showGroup(section, list, found, total).then(() => list.children[total]?.querySelector("a")?.focus());
    });
    section.append(button);
  }
}

async function search(query) {
  const run = ++latest;
  results.setAttribute("aria-busy", "true"); // groups arrive one by one
  try {
    await showResults(query, run);
  } finally {
    if (run === latest) results.removeAttribute("aria-busy");
  }
}

async function showResults(query, run) {
  results.replaceChildren();
  query = query.trim();
  if (!query) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Mencari…";
  const pf = await engine();
  const found = await Promise.all(
    GROUPS.map((jenis) => pf.search(query, { filters: { jenis } }))
  );
  if (run !== latest) return;
  found.forEach((f) => (f.results = current(f.results)));
  const total = found.reduce((n, f) => n + f.results.length, 0);
  statusLine.textContent = total
    ? `${total} halaman cocok dengan “${query}”.`
    : `Tidak ada halaman yang cocok dengan “${query}”. Coba kata lain atau telusuri menu di atas.`;
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
    await showGroup(section, list, hits, 0);
    if (run !== latest) return;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  search(input.value);
});

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
if (initial) search(initial);
