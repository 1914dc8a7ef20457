"""Pillow loaded only when something uses it: the one place the renderers configure reportlab's imports.

reportlab's ``lib.utils`` (which every reportlab module imports) imports ``PIL.Image`` at its top, for bitmap
images, and Pillow's import reads its EXIF and TIFF tag tables: about 12 ms of every build, for images a
booklet never has. ``defer`` registers ``PIL.Image`` through the standard library's
``importlib.util.LazyLoader`` before reportlab is first imported (this module does so when imported, and the
``render`` package imports it before either renderer): the module object is in ``sys.modules``,
and its code runs the first time anything reads one of its attributes (reportlab drawing an image, the page
previews of ``output.preview``). Names and objects are Pillow's own; nothing of Pillow or reportlab is
replaced. When Pillow was imported already, or cannot be found, nothing is done.
"""

from __future__ import annotations

import importlib.util
import sys

MODULE = "PIL.Image"


def defer(name: str = MODULE) -> None:
    """Make the import of ``name`` lazy unless it was imported already (idempotent)."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)  # as the import system binds a loaded submodule


defer()
