"""Pause Python's cyclic garbage collector while cgplan builds large object trees.

Parsing a 10 MB folder creates millions of small objects (tree nodes, lines,
fields). Each time enough of them pile up, the collector walks every live
object looking for cycles, so with it running, building grows slower as the
tree grows (about half of a large folder's load time). cgplan's trees hold
no reference cycles to collect; reference counting frees everything as usual.
The collector is restored (if it was on) when the block ends, also on error.

Turned back on, the collector would soon walk all the objects made meanwhile
(one full pass over the new tree, about a second for a large folder). So
when the block ends, the objects it made are moved straight to the oldest
generation (``gc.freeze()`` then ``gc.unfreeze()``: a list splice, nothing is
walked), where they are examined only by the collector's rare full passes,
as any long-lived object is. This is skipped if the program froze objects of
its own, so its frozen set is never touched.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """Run the block with the cyclic collector off; nests safely."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
