"""The word list the search page corrects a failed query with (`/cari/kata.json`).

Pagefind has neither synonyms nor typo tolerance: "akte kelahiran" or "kartu kluarga" find
nothing although the site speaks of *akta kelahiran* and *Kartu Keluarga* (and a lone "akte"
finds only what its fallback to a word's beginning finds: every "a"). After such a search,
`theme/static/js/cari.js` fetches this small file and corrects the query word by word: a
known variant spelling or abbreviation becomes its standard form, an unknown word the nearest
listed word. The file holds

* `kata`: the distinct words (3 letters or more, lower case) of what citizens search for by
  name: the names of services, providers and categories, the titles of codes of ethics and
  datasets, and the services' requirement items; the most frequent first (the script breaks
  ties between equally near words by this order), at most `MAX_WORDS`;
* `varian`: the entries of `VARIANTS` whose standard form the site uses (and not the variant).

Plain functions over the site model, written by the search page's section (`seo.py`) on
every build, so the file follows every change of a service's name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .services import category_name
from .site import Site

FILE = "kata.json"  # beside the search page: /cari/kata.json
MIN_LETTERS = 3  # shorter words are neither listed nor corrected
# The example site and the national bench data (10 000 services) have about 530 words (6 KB,
# 2.4 KB gzipped); a site with a richer vocabulary keeps its most frequent words, so the file
# stays under about 45 KB (15 KB gzipped).
MAX_WORDS = 4000

# Variant spellings and abbreviations citizens type → the form the site uses. Keys are lower
# case, several words separated by one space; an entry is published only when the site's
# names or requirements use its standard form (`variants`), so nothing irrelevant is offered.
VARIANTS: dict[str, str] = {
    # Old or colloquial spellings of public-service words that the standard spelling (KBBI,
    # PUEBI) has replaced; forms, signs and everyday speech still use them.
    "akte": "akta",
    "ijin": "izin",
    "perijinan": "perizinan",
    "ijasah": "ijazah",
    "propinsi": "provinsi",
    "resiko": "risiko",
    "apotik": "apotek",
    "nasehat": "nasihat",
    "praktek": "praktik",
    "jadual": "jadwal",
    "antri": "antre",
    "antrian": "antrean",
    "materai": "meterai",
    "bermaterai": "bermeterai",
    "kwitansi": "kuitansi",
    "kwalitas": "kualitas",
    "nomer": "nomor",
    "kadaluarsa": "kedaluwarsa",
    "kadaluwarsa": "kedaluwarsa",
    "ambulan": "ambulans",
    # Land titles are "sertipikat" in the land office's own regulations, but "sertifikat"
    # everywhere else; a site that uses the former has no need of this entry.
    "sertipikat": "sertifikat",
    # Loanwords typed in their English or Dutch form, or split in two.
    "fotocopy": "fotokopi",
    "fotocopi": "fotokopi",
    "photocopy": "fotokopi",
    "foto copy": "fotokopi",
    "foto kopi": "fotokopi",
    "legalisir": "legalisasi",
    "dilegalisir": "dilegalisasi",
    "ambulance": "ambulans",
    "passport": "paspor",
    # The electronic identity card is "KTP-el" in the law (UU 24/2013); people say e-KTP.
    "ektp": "ktp-el",
    "e-ktp": "ktp-el",
    "e ktp": "ktp-el",
    # Abbreviations citizens type for the documents and services they need, expanded only
    # where the site writes the full name (a site that writes "KK" is found by "KK" anyway).
    "kk": "kartu keluarga",
    "ktp": "kartu tanda penduduk",
    "kia": "kartu identitas anak",
    "nik": "nomor induk kependudukan",
    "sim": "surat izin mengemudi",
    "skck": "surat keterangan catatan kepolisian",
    "sktm": "surat keterangan tidak mampu",
    "nib": "nomor induk berusaha",
    "pbg": "persetujuan bangunan gedung",
    "npwp": "nomor pokok wajib pajak",
    "npwpd": "nomor pokok wajib pajak daerah",
    "bpjs": "badan penyelenggara jaminan sosial",
    "jkn": "jaminan kesehatan nasional",
    # Permits that were replaced, which citizens still ask for by their old name: the IMB by
    # the PBG (PP 16/2021), the SIUP and TDP by the NIB (PP 24/2018, OSS).
    "imb": "persetujuan bangunan gedung",
    "siup": "nomor induk berusaha",
    "tdp": "nomor induk berusaha",
}

_WORD = re.compile(r"[^\W\d_]{%d,}" % MIN_LETTERS)  # letters only: "KTP-el" gives "ktp"
_ASCII_WORD = re.compile(r"[a-z]{%d,}" % MIN_LETTERS)  # the same in lower-case ASCII, faster
_GAP = r"[^\w\n-]+"  # between the words of a phrase: spaces, punctuation; not a line break


def site_texts(site: Site) -> Iterator[str]:
    """What the word list is made of: names and titles of the indexed pages' subjects, and
    the services' requirements (each cell whole: list markers hold no word)."""
    for provider in site.providers.values():
        yield provider.nama
        yield provider.row.get("singkatan") or ""
    kinds = set()
    for service in site.services.values():
        yield service.nama
        yield service.row.get("persyaratan") or ""
        kinds.add(service.kategori or "lainnya")
    yield from (category_name(kind) for kind in sorted(kinds))
    for code in site.parts.get("codes", {}).values():
        yield code.judul
        yield code.nama_pendek
    for dataset in site.datasets.values():
        yield dataset.title


def lines(texts: Iterable[str]) -> Counter:
    """Each distinct line of `texts` in lower case, with how often it occurs: the services
    of a big site repeat the same requirement items ("Fotokopi KTP-el pemohon"), which are
    then read once (10 000 services: 60 000 items, 10 000 distinct)."""
    return Counter(line for text in texts if text for line in text.lower().splitlines())


def word_counts(counted: Counter) -> Counter:
    """How often each word of 3 letters or more occurs in the lines `counted` (`lines()`)."""
    alike: dict[tuple[int, bool], list[str]] = {}  # lines read together: as often, as ASCII
    for line, times in counted.items():
        alike.setdefault((times, line.isascii()), []).append(line)
    counts: Counter = Counter()
    for (times, plain), group in alike.items():
        found = Counter((_ASCII_WORD if plain else _WORD).findall("\n".join(group)))
        counts.update({word: n * times for word, n in found.items()} if times > 1 else found)
    return counts


def variants(counts: Counter, counted: Iterable[str]) -> dict[str, str]:
    """The entries of `VARIANTS` whose standard form occurs: a single word among the words
    `counts`, a phrase ("kartu keluarga", "ktp-el") as whole words within one of the lines
    `counted`. A variant that is itself among the words is left out: the site uses it, and
    searching it finds those pages (the example's services are named "... (KIA)", "(NIB)")."""
    standards = set(VARIANTS.values())
    found = {standard for standard in standards if standard in counts}
    phrases = [standard for standard in standards if not _WORD.fullmatch(standard)]
    joined = "\n" + "\n".join(counted) if phrases else ""
    for phrase in phrases:
        # Led by its first letter, not a look-behind, so the search skips ahead fast; the
        # character before is looked at here.
        pattern = _GAP.join(map(re.escape, phrase.split(" "))) + r"(?![\w-])"
        before = (joined[m.start() - 1] for m in re.finditer(pattern, joined))
        if any(not (char.isalnum() or char in "_-") for char in before):
            found.add(phrase)
    return {variant: standard for variant, standard in VARIANTS.items()
            if standard in found and variant not in counts}


def word_list(texts: Iterable[str], limit: int = MAX_WORDS) -> dict:
    """The content of `kata.json` made from `texts`."""
    counted = lines(texts)
    counts = word_counts(counted)
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    return {"kata": [word for word, _ in ranked], "varian": variants(counts, counted)}


def write_word_list(site: Site, path: Path) -> None:
    """Write the site's word list as compact JSON to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(word_list(site_texts(site)), ensure_ascii=False,
                               separators=(",", ":")), encoding="utf-8")
