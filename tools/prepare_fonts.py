"""Prepare the bundled fonts in ``fonts/`` from pinned Debian packages (docs/fonts.md §4).

Downloads the pinned .debs with a private apt state (nothing is installed; the system's apt state stays
as is), unpacks them with ``dpkg -x``, builds the character sets, subsets each source with fontTools,
converts CFF outlines to TrueType (cu2qu), renames, and writes ``fonts/*.ttf``, ``fonts/manifest.json``,
the Fandol licence and the 8105 list. Runs are reproducible: the same packages give byte-identical files.

Usage: ``.venv/bin/python tools/prepare_fonts.py [--work .fontwork] [--out fonts] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection, TTFont, newTable  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from publish.data.charsets import TGH8105_FILE, gb2312_chars, gbk_chars, latin_chars  # noqa: E402
from publish.fonts import char_class  # noqa: E402

SUITE = "forky"
PINS: dict[str, str] = {
    "texlive-lang-chinese": "2026.20260911-1",
    "fonts-noto-cjk-extra": "1:20240730+repack1-1",
    "unicode-data": "17.0.0-2",
    "fonts-liberation": "1:2.1.5-3",
}
FANDOL = "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
LXGW = "usr/share/texlive/texmf-dist/fonts/truetype/public/lxgw-fonts"
NOTO = "usr/share/fonts/opentype/noto"
LIBERATION = "usr/share/fonts/truetype/liberation"
FANDOL_COPYING = "usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz"
LXGW_LICENCE = "usr/share/doc/texlive-doc/fonts/lxgw-fonts/LICENSE.gz"
UNIHAN = "usr/share/unicode/Unihan_OtherMappings.txt.bz2"
MAX_ERR = 1.0  # cu2qu tolerance in font units (fonts.md §3: barely matters)
# Characters outside GB2312 ∪ 8105 the style fallbacks also carry: 濛 is in the bundled sample (fonts.md §1).
EXTRA = "濛"
# Name IDs that make up a font's user-visible name; LXGW's reserved names must not survive in any of them.
NAME_IDS = (1, 3, 4, 6, 16, 17, 18, 21, 22, 25)
GPL_NOTE = "GPL-3.0 with font exception; see GPL-3.0-with-font-exception.txt"


@dataclass(frozen=True)
class Output:
    """One file of ``fonts/``: its source and what the preparation changes."""

    file: str
    package: str
    source: str  # path inside the unpacked package
    face: str = ""  # in a TTC: the face whose full name (ID 4) starts with this
    family: str = ""  # new name ID 1 and 4 (empty: keep upstream)
    psname: str = ""  # new name ID 6 (empty: keep upstream)
    unique: str = ""  # new name ID 3 (empty: keep upstream)
    licence: str = "OFL-1.1"
    copy: bool = False  # shipped unmodified (a Reserved Font Name forbids renaming a modified version)


OUTPUTS: tuple[Output, ...] = (
    Output(
        "NotoSerifCJKsc-Black.ttf",
        "fonts-noto-cjk-extra",
        f"{NOTO}/NotoSerifCJK-Black.ttc",
        face="Noto Serif CJK SC",
    ),
    Output(
        "FandolFang-Regular.ttf",
        "texlive-lang-chinese",
        f"{FANDOL}/FandolFang-Regular.otf",
        family="FandolFang",
        licence="GPL-3.0-with-font-exception",
    ),
    Output(
        "FandolHei-Regular.ttf",
        "texlive-lang-chinese",
        f"{FANDOL}/FandolHei-Regular.otf",
        licence="GPL-3.0-with-font-exception",
    ),
    Output(
        "FandolKai-Regular.ttf",
        "texlive-lang-chinese",
        f"{FANDOL}/FandolKai-Regular.otf",
        licence="GPL-3.0-with-font-exception",
    ),
    Output(
        "FandolSong-Regular.ttf",
        "texlive-lang-chinese",
        f"{FANDOL}/FandolSong-Regular.otf",
        licence="GPL-3.0-with-font-exception",
    ),
    Output(
        "ZhuqueFangsong-fallback.ttf",
        "texlive-lang-chinese",
        f"{LXGW}/LXGWZhuqueFangsong-Regular.ttf",
        family="Zhuque Fangsong",
    ),
    Output(
        "WenKaiGBLite-fallback.ttf",
        "texlive-lang-chinese",
        f"{LXGW}/LXGWWenKaiGBLite-Regular.ttf",
        family="WenKai GB Lite Fallback",
        psname="WenKaiGBLiteFallback-Regular",
        unique="WenKai GB Lite Fallback:Version 1.522",
    ),
    Output(
        "NotoSansCJKsc-Medium-fallback.ttf",
        "fonts-noto-cjk-extra",
        f"{NOTO}/NotoSansCJK-Medium.ttc",
        face="Noto Sans CJK SC",
    ),
    Output(
        "NotoSerifCJKsc-Light-fallback.ttf",
        "fonts-noto-cjk-extra",
        f"{NOTO}/NotoSerifCJK-Light.ttc",
        face="Noto Serif CJK SC",
    ),
    # Latin letters and digits of the body faces: metric-compatible with Times New Roman. Copied whole:
    # "Liberation" is a Reserved Font Name, so a subset could not keep the name Word and LibreOffice match.
    Output(
        "LiberationSerif-Regular.ttf",
        "fonts-liberation",
        f"{LIBERATION}/LiberationSerif-Regular.ttf",
        copy=True,
    ),
)

# Role chains with the scope each file takes in it:
#   "full": Latin/punctuation, GB2312 and the 8105 (fonts.md §4.5); "latin": Latin/punctuation only;
#   "common": Latin/punctuation, the 8105 and EXTRA; "all": everything a chain must cover (GBK, the 8105,
#   Latin/punctuation and EXTRA).
# A file takes the characters of its scope that its source maps and no earlier file of the chain took.
# Must match FONT_CHAINS in src/publish/layout/gbt9704.py.
CHAINS: dict[str, tuple[tuple[str, str], ...]] = {
    "xiaobiaosong": (
        ("NotoSerifCJKsc-Black.ttf", "all"),
        ("WenKaiGBLite-fallback.ttf", "all"),
        ("ZhuqueFangsong-fallback.ttf", "all"),
    ),
    "fangsong": (
        ("FandolFang-Regular.ttf", "full"),
        ("ZhuqueFangsong-fallback.ttf", "common"),
        ("NotoSerifCJKsc-Light-fallback.ttf", "all"),
        ("WenKaiGBLite-fallback.ttf", "all"),
    ),
    "heiti": (
        ("FandolHei-Regular.ttf", "full"),
        ("NotoSansCJKsc-Medium-fallback.ttf", "all"),
        ("WenKaiGBLite-fallback.ttf", "all"),
        ("ZhuqueFangsong-fallback.ttf", "all"),
    ),
    "kaiti": (
        ("FandolKai-Regular.ttf", "full"),
        ("WenKaiGBLite-fallback.ttf", "common"),
        ("NotoSerifCJKsc-Light-fallback.ttf", "all"),
        ("ZhuqueFangsong-fallback.ttf", "all"),
    ),
    "songti": (
        ("FandolSong-Regular.ttf", "latin"),
        ("NotoSerifCJKsc-Light-fallback.ttf", "all"),
        ("WenKaiGBLite-fallback.ttf", "all"),
        ("ZhuqueFangsong-fallback.ttf", "all"),
    ),
}


# Class chains: role → character class (``publish.fonts.CHAR_CLASSES``) → files tried before the role's chain,
# each with the scope whose characters of that class it keeps (besides what CHAINS gives it). Must match
# FONT_CLASS_CHAINS in src/publish/layout/gbt9704.py.
CLASS_CHAINS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "fangsong": {
        "latin": (("LiberationSerif-Regular.ttf", "latin"),),
        "digit": (("LiberationSerif-Regular.ttf", "latin"),),
    },
    "kaiti": {
        "latin": (("LiberationSerif-Regular.ttf", "latin"),),
        "digit": (("LiberationSerif-Regular.ttf", "latin"),),
    },
    "songti": {
        "latin": (("LiberationSerif-Regular.ttf", "latin"),),
        "digit": (("LiberationSerif-Regular.ttf", "latin"),),
    },
    "heiti": {
        "punct": (("NotoSansCJKsc-Medium-fallback.ttf", "latin"),),
        "latin": (("NotoSansCJKsc-Medium-fallback.ttf", "latin"),),
        "digit": (("NotoSansCJKsc-Medium-fallback.ttf", "latin"),),
    },
}


# --- 1–3: private apt state, download, unpack ---------------------------------------------------------------


def debian_mirror() -> str:
    """Return the Debian mirror the machine's apt already uses (first non-security http origin of main)."""
    policy = subprocess.run(["apt-cache", "policy"], capture_output=True, text=True, check=True).stdout
    for match in re.finditer(r"^\s*\d+\s+(https?://\S+)\s+(\S+)/main\s", policy, re.M):
        url, suite = match.groups()
        if "security" not in url and "security" not in suite:
            return url.rstrip("/")
    raise SystemExit("no Debian mirror for main found in `apt-cache policy`")


def apt_options(work: Path) -> list[str]:
    """Return apt-get options that confine apt's lists, cache and sources to ``work``."""
    apt = work / "apt"
    return [
        "-o",
        f"Dir::Etc::SourceList={apt / 'sources.list'}",
        "-o",
        "Dir::Etc::SourceParts=/nonexistent",
        "-o",
        f"Dir::State::Lists={apt / 'lists'}",
        "-o",
        f"Dir::Cache={apt / 'cache'}",
        "-o",
        "Dir::State::status=/dev/null",
        "-o",
        "APT::Sandbox::User=root",
    ]


def fetch(work: Path) -> dict[str, Path]:
    """Download the pinned packages into ``work/debs``; return package → .deb path."""
    apt = work / "apt"
    for sub in ("lists/partial", "cache/archives/partial"):
        (apt / sub).mkdir(parents=True, exist_ok=True)
    (apt / "sources.list").write_text(f"deb {debian_mirror()} {SUITE} main\n")
    opts = apt_options(work)
    subprocess.run(["apt-get", "-q", *opts, "update"], check=True, stdout=subprocess.DEVNULL)
    debs = work / "debs"
    debs.mkdir(exist_ok=True)
    found: dict[str, Path] = {}
    for package, pin in PINS.items():
        version = pin
        policy = subprocess.run(
            ["apt-cache", *opts, "policy", package], capture_output=True, text=True
        ).stdout
        if f" {pin} " not in policy + " ":
            candidate = re.search(r"Candidate:\s*(\S+)", policy)
            if not candidate or candidate.group(1) == "(none)":
                raise SystemExit(f"{package}: neither {pin} nor any other version is in {SUITE}")
            version = candidate.group(1)
            print(f"warning: {package} {pin} is gone from {SUITE}; using {version} (record it in fonts.md)")
        name = f"{package}_{version.replace(':', '%3a')}_all.deb"
        if not (debs / name).exists():
            subprocess.run(
                ["apt-get", "-q", *opts, "download", f"{package}={version}"],
                cwd=debs,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        found[package] = debs / name
    return found


def unpack(deb: Path, dest: Path) -> Path:
    """Extract ``deb`` into ``dest`` with ``dpkg -x`` (once) and return ``dest``."""
    stamp = dest / ".unpacked"
    if stamp.exists() and stamp.read_text() == deb.name:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    subprocess.run(["dpkg", "-x", str(deb), str(dest)], check=True)
    stamp.write_text(deb.name)
    return dest


def sha256(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- 4–5: character sets ------------------------------------------------------------------------------------


def tgh8105(unicode_data: Path) -> list[str]:
    """Return the 8105 characters of 《通用规范汉字表》 (2013) in table order, from Unihan's kTGH field."""
    table: dict[int, str] = {}
    with bz2.open(unicode_data / UNIHAN, "rt", encoding="utf-8") as handle:
        for line in handle:
            if "\tkTGH\t" not in line:
                continue
            code, _, value = line.rstrip("\n").split("\t")
            for item in value.split():
                year, index = item.split(":")
                if year == "2013":
                    table[int(index)] = chr(int(code[2:], 16))
    chars = [table[index] for index in sorted(table)]
    if len(chars) != 8105 or len(set(chars)) != 8105:
        raise SystemExit(f"kTGH gave {len(chars)} characters, expected 8105")
    return chars


def scopes(chars8105: Iterable[str], extra: str) -> dict[str, set[str]]:
    """Return the character sets the chains draw from, by scope name (see CHAINS)."""
    base = set(latin_chars())
    common = base | set(chars8105) | set(extra)
    full = base | set(gb2312_chars(range(0xB0, 0xF8))) | set(chars8105)
    return {"latin": base, "common": common, "full": full, "all": common | full | set(gbk_chars())}


# --- 6–9: subset, convert, rename ---------------------------------------------------------------------------


def open_source(path: Path, face: str) -> TTFont:
    """Return the font at ``path``; in a TTC, the face whose full name starts with ``face``."""
    if path.suffix.lower() != ".ttc":
        return TTFont(path, recalcTimestamp=False)
    for font in TTCollection(path, recalcTimestamp=False).fonts:
        if str(font["name"].getDebugName(4)).startswith(face):
            return font
    raise SystemExit(f"{path}: no face named {face!r}")


def plan(cmaps: dict[str, set[str]], sets: dict[str, set[str]]) -> dict[str, set[str]]:
    """Return file → characters to keep, walking each chain in order (see CHAINS)."""
    keep: dict[str, set[str]] = {out.file: set() for out in OUTPUTS}
    for chain in CHAINS.values():
        covered: set[str] = set()
        for file, scope in chain:
            take = (sets[scope] - covered) & cmaps[file]
            keep[file] |= take
            covered |= take
    for classes in CLASS_CHAINS.values():
        for name, files in classes.items():
            for file, scope in files:
                keep[file] |= {ch for ch in sets[scope] & cmaps[file] if char_class(ch) == name}
    return keep


def subset_font(font: TTFont, chars: set[str]) -> None:
    """Subset ``font`` in place to ``chars``: no layout, no hinting, .notdef outline and name records kept."""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.drop_tables += ["BASE", "DSIG", "GSUB", "GPOS", "GDEF", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in chars))
    subsetter.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe, fonts.md §4.7)."""
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphset[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.recalcBBoxes = True  # the subset loader turns it off
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        glyph.recalcBounds(glyf)
        advance, _ = hmtx[name]
        hmtx[name] = (advance, getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, out: Output) -> None:
    """Set the new names of ``out``: drop IDs 16/17 (and any other-language family names), set 1, 3, 4, 6."""
    name = font["name"]
    replacing = {1, 4, 16, 17} if out.family else {16, 17}
    if out.psname:
        replacing |= {6}
    if out.unique:
        replacing |= {3}
    if out.family and out.psname:  # reserved font names: no trace in any user-visible name ID (fonts.md §8)
        replacing |= set(NAME_IDS)
    name.names = [rec for rec in name.names if rec.nameID not in replacing and rec.nameID < 256]
    if out.family:
        name.setName(out.family, 1, 3, 1, 0x409)
        name.setName(out.family, 4, 3, 1, 0x409)
    if out.psname:
        name.setName(out.psname, 6, 3, 1, 0x409)
    if out.unique:
        name.setName(out.unique, 3, 3, 1, 0x409)
    if out.licence.startswith("GPL"):  # upstream ID 13 is empty; say what the licence is
        name.removeNames(nameID=13)
        name.setName(GPL_NOTE, 13, 3, 1, 0x409)
    name.names.sort(key=lambda rec: (rec.platformID, rec.platEncID, rec.langID, rec.nameID))


def build(out: Output, source: Path, chars: set[str], dest: Path) -> tuple[str, int, float]:
    """Write ``dest`` from ``source``; return (file, glyph count, seconds)."""
    start = time.perf_counter()
    if out.copy:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        return out.file, len(TTFont(dest, lazy=True).getGlyphOrder()), time.perf_counter() - start
    font = open_source(source, out.face)
    subset_font(font, chars)
    if "CFF " in font:
        cff_to_glyf(font)
    rename(font, out)
    font.recalcTimestamp = False  # keep upstream head.created/modified: reproducible bytes
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)
    return out.file, len(font.getGlyphOrder()), time.perf_counter() - start


# --- driver -------------------------------------------------------------------------------------------------


def cmap_of(path: Path, face: str) -> set[str]:
    """Return the characters the best cmap of ``path`` (face ``face``) maps."""
    return {chr(code) for code in open_source(path, face).getBestCmap()}


def check(fonts_dir: Path, sets: dict[str, set[str]]) -> dict[str, list[str]]:
    """Return role → characters of scope "all" that no file of its chain maps (the genuine gaps)."""
    cmaps = {
        out.file: {chr(c) for c in TTFont(fonts_dir / out.file, lazy=True).getBestCmap()} for out in OUTPUTS
    }
    gaps: dict[str, list[str]] = {}
    for role, chain in CHAINS.items():
        covered = set().union(*(cmaps[file] for file, _ in chain))
        gaps[role] = sorted(sets["all"] - covered)
    return gaps


def main(argv: list[str] | None = None) -> int:
    """Prepare the fonts; return 0 on success."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / ".fontwork", help="work folder (git-ignored)")
    parser.add_argument("--out", type=Path, default=ROOT / "fonts", help="where the .ttf files go")
    parser.add_argument("--data", type=Path, default=TGH8105_FILE.parent, help="where tgh8105.txt goes")
    parser.add_argument("--jobs", type=int, default=2, help="parallel font builds")
    parser.add_argument(
        "--extra", default=EXTRA, help="characters the style fallbacks carry besides the 8105"
    )
    parser.add_argument(
        "--docs-only", action="store_true", help="keep the .ttf files; rewrite licences and README tables"
    )
    parser.add_argument(
        "--only", nargs="+", default=None, metavar="FILE", help="build only these files; keep the others"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    work: Path = args.work.resolve()
    debs = fetch(work)
    trees = {package: unpack(deb, work / "x" / package) for package, deb in debs.items()}
    chars8105 = tgh8105(trees["unicode-data"])
    sets = scopes(chars8105, args.extra)
    sources = {out.file: trees[out.package] / out.source for out in OUTPUTS}
    cmaps = {out.file: cmap_of(sources[out.file], out.face) for out in OUTPUTS}
    fang, hei, kai = (sets["full"] - cmaps[f"Fandol{s}-Regular.ttf"] for s in ("Fang", "Hei", "Kai"))
    if not fang == hei == kai:  # fonts.md §4.9: the gap is the same for the three
        print("note: FandolFang, FandolHei and FandolKai lack different characters")
    keep = plan(cmaps, sets)
    seconds: dict[str, float] = {}
    if not args.docs_only:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            jobs = [
                pool.submit(build, out, sources[out.file], keep[out.file], args.out / out.file)
                for out in sorted(OUTPUTS, key=lambda o: -len(keep[o.file]))
                if args.only is None or out.file in args.only
            ]
            seconds = {file: took for file, _, took in (job.result() for job in jobs)}
    write_data(args.data, chars8105, debs["unicode-data"])
    gaps = check(args.out, sets)
    rows = [font_row(out, debs, sources, args.out) for out in OUTPUTS]
    write_licences(args.out, trees, rows)
    write_readme(args.out / "README.md", debs, rows, gaps)
    for row in rows:
        print(
            f"{row['file']:36} {row['bytes'] / 1e6:6.2f} MB {row['chars']:6} chars {row['glyphs']:6} glyphs "
            f"{seconds.get(row['file'], 0.0):5.1f} s  {row['sha256'][:8]}"
        )
    for role, chars in gaps.items():
        print(f"{role}: {len(chars)} characters uncovered: {' '.join(chars)}")
    print(f"done in {time.perf_counter() - start:.0f} s")
    return 0


# --- provenance: licences and fonts/README.md ---------------------------------------------------------------


def font_row(out: Output, debs: dict[str, Path], sources: dict[str, Path], folder: Path) -> dict[str, Any]:
    """Return what fonts/README.md records about ``out``, read from the built file."""
    font = TTFont(folder / out.file, lazy=True)
    chars = len(font.getBestCmap())
    changes = [f"subset to {chars} characters (no layout tables, no hinting)"]
    if sources[out.file].suffix.lower() in (".otf", ".ttc"):
        changes.append(f"CFF outlines converted to TrueType (cu2qu, max error {MAX_ERR:g} unit)")
    renamed = [f"ID {i} {v!r}" for i, v in ((1, out.family), (6, out.psname), (3, out.unique)) if v]
    changes.append("name IDs 16/17 dropped" + ("; " + ", ".join(renamed) if renamed else ""))
    if out.licence.startswith("GPL"):
        changes.append("licence description (name ID 13) filled in")
    if out.copy:
        changes = ["none: copied unmodified (OFL Reserved Font Name 'Liberation')"]
    return {
        "file": out.file,
        "family": str(font["name"].getDebugName(1)),
        "copyright": str(font["name"].getDebugName(0)),
        "package": out.package,
        "deb": debs[out.package].name,
        "deb_sha256": sha256(debs[out.package]),
        "source": f"/{out.source}" + (f", face {out.face!r}" if out.face else ""),
        "changes": "; ".join(changes),
        "licence": out.licence,
        "chars": chars,
        "glyphs": len(font.getGlyphOrder()),
        "bytes": (folder / out.file).stat().st_size,
        "sha256": sha256(folder / out.file),
    }


def write_licences(folder: Path, trees: dict[str, Path], rows: list[dict[str, Any]]) -> None:
    """Write OFL-1.1.txt (copyright lines from name ID 0, then the OFL) and the Fandol GPL text."""
    with gzip.open(trees["texlive-lang-chinese"] / LXGW_LICENCE, "rt", encoding="utf-8") as handle:
        lxgw = handle.read()
    ofl = lxgw[lxgw.index("-----------") :]
    lines: list[str] = []
    for row in rows:
        if row["licence"] == "OFL-1.1":
            for line in row["copyright"].splitlines():
                line = COPYRIGHT_LINES.get(line, line)
                if row["file"] in RESERVED:
                    line = line.rstrip(".") + RESERVED[row["file"]]
                if line not in lines:
                    lines.append(line)
    header = (
        "\n".join(lines)
        + "\n\nThis Font Software is licensed under the SIL Open Font License, Version 1.1.\n\n"
    )
    (folder / "OFL-1.1.txt").write_text(header + ofl, encoding="utf-8")
    with gzip.open(trees["texlive-lang-chinese"] / FANDOL_COPYING, "rt", encoding="utf-8") as handle:
        copying = handle.read()
    (folder / "GPL-3.0-with-font-exception.txt").write_text(FONT_EXCEPTION + copying, encoding="utf-8")


def write_readme(
    path: Path, debs: dict[str, Path], rows: list[dict[str, Any]], gaps: dict[str, list[str]]
) -> None:
    """Replace the generated part of fonts/README.md (between the BEGIN and END markers) with ``rows``."""
    out = [BEGIN, "", "### Chains", "", "| role | chain (primary first) |", "|---|---|"]
    out += [f"| {role} | {' → '.join(f'`{file}`' for file, _ in chain)} |" for role, chain in CHAINS.items()]
    out += [
        "",
        "### Class chains (tried before the role's chain)",
        "",
        "| role | class | files |",
        "|---|---|---|",
    ]
    out += [
        f"| {role} | {name} | {' → '.join(f'`{file}`' for file, _ in files)} |"
        for role, classes in CLASS_CHAINS.items()
        for name, files in classes.items()
    ]
    total = sum(row["bytes"] for row in rows)
    out += [
        "",
        f"### Files ({total / 1e6:.1f} MB)",
        "",
        "| file | family | licence | characters | glyphs | MB |",
    ]
    out += ["|---|---|---|---:|---:|---:|"]
    out += [
        f"| `{r['file']}` | {r['family']} | {r['licence']} | {r['chars']} | {r['glyphs']} "
        f"| {r['bytes'] / 1e6:.2f} |"
        for r in rows
    ]
    uncovered = sorted({ch for chars in gaps.values() for ch in chars})
    listed = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in uncovered) or "none"
    out += ["", f"Characters of the required set that no chain covers: {listed}.", ""]
    out += ["### Packages", "", "| .deb | sha256 |", "|---|---|"]
    out += [f"| `{deb.name}` | `{sha256(deb)}` |" for _, deb in sorted(debs.items())]
    for r in rows:
        out += ["", f"### `{r['file']}`", "", "| | |", "|---|---|"]
        out += [
            f"| family (name ID 1) | {r['family']} |",
            f"| source package | `{r['package']}` (`{r['deb']}`) |",
            f"| .deb sha256 | `{r['deb_sha256']}` |",
            f"| original file | `{r['source']}` |",
            f"| modifications | {r['changes']} |",
            f"| licence | {r['licence']} |",
            f"| characters / glyphs | {r['chars']} / {r['glyphs']} |",
            f"| file sha256 | `{r['sha256']}` |",
        ]
    out += ["", END]
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Bundled fonts\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(head + "\n".join(out) + tail, encoding="utf-8")


def write_data(folder: Path, chars: list[str], deb: Path) -> None:
    """Write the 8105 list, 50 characters a line after a comment header."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "# 通用规范汉字表 (2013): 8105 characters in table order, 50 a line.",
        f"# From Unihan_OtherMappings.txt, field kTGH, in {deb.name} (tools/prepare_fonts.py).",
    ]
    lines += ["".join(chars[i : i + 50]) for i in range(0, len(chars), 50)]
    (folder / "tgh8105.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


BEGIN = "<!-- BEGIN generated by tools/prepare_fonts.py: do not edit by hand -->"
END = "<!-- END generated -->"
# OFL reserved font names not carried in name ID 0 (fonts.md §8; noto-cjk's LICENSE).
RESERVED = {
    "NotoSansCJKsc-Medium-fallback.ttf": ", with Reserved Font Name 'Source'.",
    "NotoSerifCJKsc-Black.ttf": ", with Reserved Font Name 'Source'.",
    "NotoSerifCJKsc-Light-fallback.ttf": ", with Reserved Font Name 'Source'.",
}
# Copyright lines whose Reserved Font Names name ID 0 leaves out (the package's copyright file has them).
COPYRIGHT_LINES = {
    "Digitized data copyright (c) 2010 Google Corporation.": "Digitized data copyright (c) 2010 Google "
    "Corporation, with Reserved Font Names Arimo, Tinos and Cousine.",
    "Copyright (c) 2012 Red Hat, Inc.": "Copyright (c) 2012 Red Hat, Inc., with Reserved Font Name "
    "Liberation.",
}
FONT_EXCEPTION = """\
The Fandol fonts (FandolFang, FandolHei, FandolKai, FandolSong) are licensed under the GNU General Public
License version 3 with the font exception ("These fonts's licensing is GPL + GPL font exception", Fandol
README, texlive-lang-chinese). The exception, in the Free Software Foundation's wording:

    As a special exception, if you create a document which uses this font, and embed this font or unaltered
    portions of this font into the document, this font does not by itself cause the resulting document to be
    covered by the GNU General Public License. This exception does not however invalidate any other reasons
    why the document might be covered by the GNU General Public License. If you modify this font, you may
    extend this exception to your version of the font, but you are not obligated to do so. If you do not wish
    to do so, delete this exception statement from your version.

The files in this folder are modified versions (subset, converted to TrueType outlines, renamed: see
README.md and tools/prepare_fonts.py); the exception is extended to them.

Fandol's COPYING follows.

"""


if __name__ == "__main__":
    raise SystemExit(main())
