"""Where a line that has a choice may break Chinese text: the cost of a break before each character.

Used only where the layout chooses between breaks (balanced titles, the cover); body text stays on the
28-cell grid and breaks wherever the line fills (GB/T 9704 has no word rule, and a 公文 body is justified).

Words come from rjieba, the Python binding of jieba-rs (MIT): jieba's dictionary and HMM, maintained, a
compiled extension with its dictionary built in (about 0.1 s CPU to load, paid once and only by a layout
that has a title to break), and part-of-speech tags, which tell the rules below what a word is. It was
chosen over jieba itself (pure Python, last released in 2020) and over a hand-made word list (the project
is scored on titles nobody has seen). Pinned: its dictionary decides where titles break. The command line
keeps the segmenter's results on disk (``word_cache``, ``use_cache``), so a rebuild whose titles were
segmented before does not load the dictionary at all.

On top of the words, two rules from the same tags:
- an organisation's name is one unit: a word that heads an organisation (tagged ``nt``, or a noun of two
  characters or more that ends in a unit character 会 部 班 委 局 …) takes along the nouns (and
  adjectives) right before it, up to ``ORGANISATION_CHARS`` characters (残疾人联合会, 机关党支部,
  干部培训班, 卫生健康委员会);
- runs of nouns are phrases (残疾人事业, 政治建设), a one-character prefix binds to the next word (新时代),
  and particles and 方位词 (的, 上) do not start a line nor a preposition (以, 在) end one: breaking there
  costs less than inside a word, more than elsewhere; inside a run of nouns of ``LONG_RUN`` characters or
  more (全市基层党务干部能力) half as much, since such a run must break somewhere, and nothing right after an
  organisation's name (培训班|交流发言). A noun and a verb of two characters each (乡村振兴) are not
  recognised as a unit, nor is a break inside a long run of nouns placed by its structure (残疾人事业工作会议
  may break after 残疾人 as well as after 事业: balance decides), and the name rule may take a scope word
  along (全市基层妇女联合会 as one name).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from publish.layout.word_cache import WordCache, fingerprint

WORD = 40.0  # cost of a break inside a word or an organisation's name, in em² (see titlebreak): the lines may
# be up to four characters off even to avoid it (two lines d characters off the middle cost 2d² em²)
PHRASE = 20.0  # inside a run of nouns, before a particle or 方位词, after a preposition (three characters)
LONG_RUN = 8  # a run of nouns this many characters long or longer is softer inside (``_soften_long_runs``)
ORGANISATION_CHARS = 10  # an organisation's name taken as one unit is at most this long
UNIT_ENDS = frozenset("会部班委局厅院所处室办校站队团社组司行")
# jieba's tags: n, nr, ns, nt, nz … (nouns), j (abbreviations: 党建), vn/an (verbal and adjectival nouns:
# 建设, 卫生), b (distinguishing words), l and i (set phrases and idioms: 意识形态, 精神文明)
NOUN_TAGS = ("n", "j", "vn", "an", "b", "l", "i")
ORGANISATION_TAGS = (*NOUN_TAGS, "a")  # what an organisation's name is made of (卫生健康委员会)
PREFIX_TAGS = (
    "a",
    "b",
    "n",
    "zg",
)  # a one-character word of these binds to the next (新时代, 市残联, 县政府)


class _Tagger(Protocol):
    def tag(self, text: str) -> Sequence[tuple[str, str]]: ...


_disk: list[WordCache] = []  # at most one: the cache ``use_cache`` set (none: every text is segmented)


def use_cache(root: Path | None) -> None:
    """Keep segmentation results in ``root`` (``word_cache``) from now on; None: keep none on disk.

    Set once by the command line, which knows the user's cache folder; results are the same either way.
    """
    _disk.clear()
    spec = importlib.util.find_spec("rjieba") if root is not None else None
    if root is not None and spec is not None and spec.submodule_search_locations:
        _disk.append(WordCache(root, fingerprint(Path(next(iter(spec.submodule_search_locations))))))


@lru_cache(maxsize=1)
def _tagger() -> _Tagger:
    import rjieba  # imported on first use: a layout without a title to break never loads the dictionary

    return rjieba  # type: ignore[no-any-return]


def segment(text: str) -> list[tuple[str, str]]:
    """Return rjieba's (word, tag) pairs of ``text``, empty words dropped: from the disk cache when it
    holds them, else from the segmenter (then stored)."""
    for disk in _disk:
        found = disk.get(text)
        if found is not None:
            return found
    pairs = [(w, t) for w, t in _tagger().tag(text) if w]
    for disk in _disk:
        disk.put(text, pairs)
    return pairs


def _nominal(tag: str) -> bool:
    return tag.startswith(NOUN_TAGS)


def _heads_organisation(word: str, tag: str) -> bool:
    return tag == "nt" or (len(word) >= 2 and _nominal(tag) and word[-1] in UNIT_ENDS)


@lru_cache(maxsize=4096)
def break_costs(text: str) -> tuple[float, ...]:
    """Return, for each position 0..len(text), the cost (in em²) of breaking the line there: 0 between
    words, ``PHRASE`` inside a phrase, ``WORD`` inside a word or an organisation's name; 0 at both ends."""
    n = len(text)
    costs = [0.0] * (n + 1)
    if n < 2:
        return tuple(costs)
    tagged = segment(text)
    starts = []
    pos = 0
    for word, _ in tagged:
        starts.append(pos)
        for i in range(pos + 1, pos + len(word)):
            costs[i] = WORD
        pos += len(word)
    if pos != n:  # the segmenter dropped or changed characters: no word knowledge for this text
        return tuple([0.0] * (n + 1))
    for k in range(1, len(tagged)):
        word, tag = tagged[k]
        before, before_tag = tagged[k - 1]
        prefix = len(before) == 1 and before_tag.startswith(PREFIX_TAGS)
        if prefix or (_nominal(tag) and _nominal(before_tag)):
            costs[starts[k]] = PHRASE
        if tag.startswith(("u", "f", "y")) or before_tag.startswith("p"):
            costs[starts[k]] = max(costs[starts[k]], PHRASE)
    taken = 0  # words before this index already belong to an organisation's name
    for k, (word, tag) in enumerate(tagged):
        if not _heads_organisation(word, tag):
            continue
        first = k
        length = len(word)
        while (
            first - 1 >= taken
            and tagged[first - 1][1].startswith(ORGANISATION_TAGS)
            and length + len(tagged[first - 1][0]) <= ORGANISATION_CHARS
        ):
            first -= 1
            length += len(tagged[first][0])
        for j in range(first + 1, k + 1):
            costs[starts[j]] = WORD
        if k + 1 < len(tagged) and costs[starts[k + 1]] == PHRASE:
            costs[starts[k + 1]] = 0.0  # a name is a unit: what follows it starts a new constituent
        taken = k + 1
    _soften_long_runs(tagged, starts, costs)
    return tuple(costs)


def _soften_long_runs(tagged: Sequence[tuple[str, str]], starts: Sequence[int], costs: list[float]) -> None:
    """Halve the cost of the breaks inside a run of nouns of ``LONG_RUN`` characters or more.

    A long run (全市基层党务干部能力) has to break somewhere in a balanced title; at the full ``PHRASE`` cost
    the balance would give way first (10 / 7 / 4 characters instead of 8 / 7 / 6).
    """
    k = 0
    while k < len(tagged):
        end = k + 1
        while end < len(tagged) and _nominal(tagged[end][1]) and _nominal(tagged[end - 1][1]):
            end += 1
        if end - k > 1 and sum(len(w) for w, _ in tagged[k:end]) >= LONG_RUN:
            for j in range(k + 1, end):
                if costs[starts[j]] == PHRASE:
                    costs[starts[j]] = PHRASE / 2
        k = end
