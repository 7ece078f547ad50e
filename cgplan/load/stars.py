"""Resolve star references (``Mongo``, `` `redis` ``, ``GKE``) to the catalog's canonical names.

Stages, first one that finds anything wins; one match resolves, several are
ambiguous and resolve to nothing:

1. the canonical name, any case and markup;
2. a stated alias, the name without its parenthetical, or the parenthetical;
3. an acronym of the name (``GKE`` for ``Google Kubernetes Engine``);
4. every word of the reference begins a word of the name, in order
   (``Mongo`` for ``MongoDB Atlas Cluster``, ``SQS`` for ``Amazon SQS Order Queue``);
5. the reference contains the whole name (``the Redis Cache cluster``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cgplan.load.fields import norm_key
from cgplan.model.construction import Star

_STOP = {"the", "a", "an", "of", "for", "and", "to", "in", "on", "star", "stars"}


@dataclass
class Resolution:
    """The outcome of resolving one reference."""

    star: str | None
    """Canonical name, if exactly one star matched."""
    candidates: list[str]
    """All stars that matched at the deciding stage (several means ambiguous)."""


def _words(text: str) -> list[str]:
    return norm_key(text).split()


def _clean_ref(text: str) -> str:
    text = text.strip().strip("`*_\"'")
    text = re.sub(r"(?i)^(?:the\s+)?star\s*[:\-\u2013\u2014]?\s+", "", text)
    text = re.sub(r"(?i)\s+(?:star|stars)$", "", text)
    return text.strip()


class StarIndex:
    """Lookup tables over the catalog, built once per folder."""

    def __init__(self, stars: list[Star]):
        self.stars = stars
        self.exact: dict[str, set[str]] = {}
        self.alias: dict[str, set[str]] = {}
        self.acronym: dict[str, set[str]] = {}
        self.words: dict[str, list[list[str]]] = {}
        self.by_prefix: dict[str, set[str]] = {}
        for s in stars:
            self.exact.setdefault(norm_key(s.name), set()).add(s.name)
            forms = s.name_forms()
            for a in forms[1:]:
                self.alias.setdefault(norm_key(a), set()).add(s.name)
            for form in forms:
                ws = _words(form)
                if len(ws) >= 2:
                    self.acronym.setdefault("".join(w[0] for w in ws), set()).add(s.name)
                    content = [w for w in ws if w not in _STOP]
                    if len(content) >= 2:
                        self.acronym.setdefault("".join(w[0] for w in content), set()).add(s.name)
            wforms = [_words(f) for f in forms]
            self.words[s.name] = wforms
            for f in wforms:
                for w in f:
                    self.by_prefix.setdefault(w[:3], set()).add(s.name)
        self._cache: dict[str, Resolution] = {}

    def resolve(self, text: str) -> Resolution:
        """Resolve a reference as written."""
        hit = self._cache.get(text)
        if hit is None:
            hit = self._cache[text] = self._resolve(text)
        return hit

    def _resolve(self, text: str) -> Resolution:
        ref = _clean_ref(text)
        key = norm_key(ref)
        if not key:
            return Resolution(None, [])
        for table in (self.exact, self.alias):
            found = table.get(key)
            if found:
                return _result(found)
        if " " not in key and len(key) >= 2:
            found = self.acronym.get(key)
            if found:
                return _result(found)
        ref_words = [w for w in key.split() if w not in _STOP] or key.split()
        pool = self.by_prefix.get(ref_words[0][:3], set())
        found = {name for name in pool if any(_prefix_match(ref_words, f) for f in self.words[name])}
        if found:
            return _result(found)
        # a form contained in the reference starts at one of its words
        padded = f" {key} "
        pool = set().union(*(self.by_prefix.get(w[:3], set()) for w in key.split()))
        found = {
            name
            for name in pool
            for f in self.words[name]
            if f and f" {' '.join(f)} " in padded and len(" ".join(f)) >= 4
        }
        if found:
            # prefer the longest name contained in the reference
            longest = max(len(norm_key(n)) for n in found)
            found = {n for n in found if len(norm_key(n)) == longest} if len(found) > 1 else found
            return _result(found)
        return Resolution(None, [])


def _result(found: set[str]) -> Resolution:
    names = sorted(found)
    return Resolution(names[0] if len(names) == 1 else None, names)


def _prefix_match(ref: list[str], name: list[str]) -> bool:
    """Each reference word starts a distinct name word, in order."""
    if not ref or len(ref) > len(name):
        return False
    j = 0
    for w in ref:
        while j < len(name):
            cand = name[j]
            j += 1
            if cand == w or (len(w) >= 3 and cand.startswith(w)):
                break
        else:
            return False
    return True
