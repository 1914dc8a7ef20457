"""The pipeline is one-way: every module imports only the stages upstream of it (docs/style.md rule 1), the
command line's modules included, and no two modules import each other, directly or through others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "publish"
BASE = {"errors"}
# stage → the stages it may import (besides itself). The front end never sees fonts or layout; renderers never
# see the source, cleaning or parsing; only the composition layer sees everything.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "model": BASE,
    "atomic": BASE,
    "workers": BASE | {"atomic"},  # holds signals while it waits for stopped children
    "source": BASE,
    "numbering": BASE,
    "patterns": BASE,  # regular expressions compiled on first use
    "clean": BASE | {"source", "numbering", "data"},
    "parse": BASE | {"model", "source", "clean", "numbering", "patterns"},
    "sourcefmt": BASE | {"model", "source", "clean", "parse", "numbering"},
    "lint": BASE | {"model", "numbering", "patterns"},
    "manifest": BASE,
    # readers of Word documents and PDFs, and the collection of many inputs: upstream of layout
    "readers": BASE | {"model", "source", "clean", "parse", "sourcefmt", "numbering"},
    "collection": BASE
    | {"model", "source", "clean", "parse", "sourcefmt", "numbering", "readers", "manifest"},
    "sfnt": BASE,
    "diskcache": BASE,  # the store behind the caches on disk (word segmentation, font programs)
    "digest": set(),  # BLAKE2b without OpenSSL: cache keys and file identifiers
    "fonts": BASE | {"data", "sfnt"},
    "data": BASE,
    "layout": BASE | {"model", "fonts", "diskcache", "digest", "patterns"},
    "render": BASE | {"model", "fonts", "layout", "sfnt", "diskcache", "digest"},
    "output": BASE | {"atomic"},
    # the composition layer: the pipeline sees every stage; the command line's edge sits on top of it
    "pipeline": BASE
    | {
        "atomic",
        "workers",
        "source",
        "clean",
        "parse",
        "sourcefmt",
        "lint",
        "fonts",
        "layout",
        "render",
        "model",
        "collection",
        "manifest",
    },
    "session": BASE | {"pipeline"},  # a warm build process: the pipeline with its caches
    "console": BASE,
    "watch": BASE | {"console"},
    "commands": BASE
    | {
        "console",
        "watch",
        "pipeline",
        "session",
        "source",
        "clean",
        "sourcefmt",
        "fonts",
        "layout",
        "output",
        "atomic",
        "serve",
        "readers",
    },
    "cli": BASE | {"console", "commands"},
    "__main__": {"launch"},
    "launch": {"cli"},  # the command's entry point: loads the CLI inside its interrupt handler
    "__init__": set(),
    # the local web page composes the stages like the CLI does, but never imports the CLI
    "serve": BASE
    | {"atomic", "model", "source", "clean", "parse", "sourcefmt", "readers", "collection"}
    | {"manifest", "lint", "fonts", "layout", "output", "pipeline", "session"},
}


def _stage(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path, root: Path = PACKAGE) -> set[str]:
    """Return the ``publish`` stages ``path`` imports, relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["publish", *path.relative_to(root).parent.parts] if path.is_relative_to(root) else []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "publish" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_downstream(path: Path) -> None:
    stage = _stage(path)
    assert stage in ALLOWED, f"{stage}: new stage; add it to ALLOWED in tests/test_architecture.py"
    imported = _imports(path) - {stage}
    # `from publish import x` names a stage too; drop names that are not stages (e.g. __version__)
    stages = set(ALLOWED)
    illegal = {name for name in imported & stages if name not in ALLOWED[stage]}
    assert not illegal, (
        f"{path.relative_to(PACKAGE)} ({stage}) imports {sorted(illegal)} against the pipeline"
    )


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["publish", *parts])


def module_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Return module → the ``publish`` modules it imports anywhere (lazy and TYPE_CHECKING imports too).

    ``from package import name`` points at the submodule ``package.name`` when there is one, else at the
    package.
    """
    paths = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                wanted = [f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names]
            else:
                continue
            for target in wanted:
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that import one another, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert import_cycles(module_graph()) == []


def test_cycle_checker_finds_a_cycle(tmp_path: Path) -> None:
    root = tmp_path / "publish"
    (root / "layout").mkdir(parents=True)
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "layout" / "__init__.py").write_text("", encoding="utf-8")
    (root / "layout" / "a.py").write_text("from publish.layout import b\n", encoding="utf-8")
    (root / "layout" / "b.py").write_text("def f():\n    from .a import x\n", encoding="utf-8")
    (root / "layout" / "c.py").write_text("from publish.layout import a\n", encoding="utf-8")
    graph = module_graph(root)
    assert graph["publish.layout.c"] == {"publish.layout.a"}
    assert import_cycles(graph) == [["publish.layout.a", "publish.layout.b"]]


def test_renderers_read_only_the_plan() -> None:
    # A renderer may read the plan and the spec it carries, nothing of the layout's machinery: no measuring,
    # breaking, paginating or front-matter code (a renderer that needs them is making layout decisions).
    allowed = {"publish.layout.frame", "publish.layout.spec"}
    graph = module_graph()
    offenders = {
        module: sorted(t for t in targets if t.startswith("publish.layout") and t not in allowed)
        for module, targets in graph.items()
        if module.startswith("publish.render")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


RAW_XML = ("OxmlElement", "qn(", "makeelement(", "from lxml", "import lxml")


def test_raw_ooxml_confined_to_one_package() -> None:
    oxml = PACKAGE / "render" / "docx" / "oxml"
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if any(word in p.read_text(encoding="utf-8") for word in RAW_XML)
        and not p.is_relative_to(oxml)
        and not (p.parent.name == "readers" and p.name.startswith("_docx"))  # the DOCX reader's XML walks
    ]
    assert offenders == []


def test_pdf_font_objects_confined() -> None:
    """reportlab's font machinery is not used (its simple 256-glyph subsets), and the PDF's font objects are
    made in one module."""
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if any(word in p.read_text(encoding="utf-8") for word in ("registerFont", "pdfmetrics", "ttfonts"))
        or (
            "CIDFontType2" in p.read_text(encoding="utf-8")
            and p.relative_to(PACKAGE).as_posix() != "render/pdf/_embed.py"
        )
    ]
    assert offenders == []


def test_checker_catches_a_violation(tmp_path: Path) -> None:
    imported = _imports_of_text("from publish import parse\nimport publish.clean\n", tmp_path)
    assert imported == {"parse", "clean"}
    assert not imported <= ALLOWED["render"]


def test_checker_resolves_relative_imports(tmp_path: Path) -> None:
    probe = tmp_path / "publish" / "render" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from ..parse import parse\nfrom . import pdf\n", encoding="utf-8")
    assert _imports(probe, tmp_path / "publish") == {"parse", "render"}


def _imports_of_text(text: str, tmp_path: Path) -> set[str]:
    probe = tmp_path / "probe.py"
    probe.write_text(text, encoding="utf-8")
    return _imports(probe)
