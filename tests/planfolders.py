"""Build small construction folders for the planner tests (and big ones for timing)."""

from __future__ import annotations

import re
from pathlib import Path

MAP = """# System Constellation Map: {system}

## Stars (Trusted Components)

### Star: API Gateway
**Type:** Framework (Express on Node.js)
**Status:** Proven in production

**Core Assumptions:**
- Middleware follows the verbNounMiddleware naming convention
- 30s request timeout on every route

**Exposed Contracts:**
- API: REST over HTTPS
- Dependencies: ioredis client on `app.locals.redis`

**Error Handling:**
- Slow upstreams: aborted with 504 after 30s

---

### Star: Redis Cache
**Type:** Database
**Status:** Proven in production

**Scaling Model:**
- Connection pool max 10 connections per pod

**Exposed Contracts:**
- API: ZADD, ZPOPMIN
- Dependencies: ioredis client on `app.locals.redis`

**Error Handling:**
- Connection failure: commands fail fast while reconnecting
"""

GAP = """### Gap {n}: {name}
**Priority:** High

**Missing Capability:**
{name} for the gateway.

**Constraints That Must Shape It:**
- Must answer within 2 seconds

**Must Connect To:**
- **API Gateway** via Express middleware
- **Redis Cache** via sorted sets

**Integration Points:**
- Input: requests from the gateway
- Output: entries in Redis Cache

**Success Criteria:**
- [ ] {name} handles 100 req/sec
- [ ] Nothing is lost when Redis Cache is unavailable

"""

SKETCH = """## Sketch {n}: {name}

**Gap Reference:** Gap {n}

**Stars This Connects To:**
- **API Gateway** (from constellation-map.md)
  - Connection: Express middleware
  - What we reuse: the middleware chain
  - Integration point: `(req, res, next)`
- **Redis Cache** (from constellation-map.md)
  - Connection: shared pool
  - What we reuse: sorted sets
  - Integration point: key `queue:{n}`

**Key Components:**
1. **{comp}Middleware**: Express middleware that queues work in Redis Cache
2. **{comp}Worker**: background loop that drains the queue every 100 ms

**Data Flow:**
```
API Gateway → {comp}Middleware → Redis Cache
                                     ↓
                               {comp}Worker
```

"""


def make_folder(root: Path, names: list[str], system: str = "Test System") -> Path:
    """A folder holding ``construction/`` with one gap and one sketch per name; returns ``root``."""
    req = root / "construction" / "requirements"
    design = root / "construction" / "design"
    req.mkdir(parents=True, exist_ok=True)
    design.mkdir(parents=True, exist_ok=True)
    (req / "constellation-map.md").write_text(MAP.format(system=system), encoding="utf-8")
    gaps = [f"# Gap Analysis: {system}\n\n## Identified Gaps\n\n"]
    sketches = [f"# Implementation Sketches: {system}\n\n"]
    for n, name in enumerate(names, start=1):
        comp = "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+", name)) or f"Part{n}"
        gaps.append(GAP.format(n=n, name=name))
        sketches.append(SKETCH.format(n=n, name=name, comp=comp))
    (req / "gap-analysis.md").write_text("".join(gaps), encoding="utf-8")
    (design / "implementation-sketches.md").write_text("".join(sketches), encoding="utf-8")
    return root
