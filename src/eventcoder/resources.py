"""Loaded models and reference data: everything coding needs besides the article.

``Resources`` is built once (``Resources.load()``) and passed explicitly; coding an article is a
pure function of (article, resources). ``Resources`` pickles by its paths, so a worker process
(multiprocessing, Ray) rebuilds it from the same files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .extract.actors import ActorDictionary
    from .extract.events import TriggerLexicon
    from .extract.roles import English
    from .gazetteer import Gazetteer
    from .nlp import Analyzer


def data_path(name: str) -> Path:
    """Path of a bundled data file in ``eventcoder/data``."""
    return Path(str(importlib_resources.files("eventcoder") / "data" / name))


def word_alternation(words: Iterable[object], flexible_space: bool = True) -> str:
    """A regex alternation of the phrases of a data-file word list, longest first (so "car bomb"
    wins over "car"); with ``flexible_space`` a space in a phrase matches any run of whitespace."""
    phrases = sorted({str(w) for w in words if w}, key=lambda p: (-len(p), p))
    escaped = (re.escape(p) for p in phrases)
    return "|".join(e.replace(r"\ ", r"\s+") for e in escaped) if flexible_space else "|".join(escaped)


@dataclass
class ResourcePaths:
    actors: Path | None = None
    lexicon: Path | None = None
    gazetteer_cache: Path | None = None
    spacy_model: str | None = None
    figures: Path | None = None
    time: Path | None = None


class Resources:
    def __init__(self, paths: ResourcePaths | None = None):
        self.paths = paths or ResourcePaths()

    @classmethod
    def load(cls, paths: ResourcePaths | None = None, eager: bool = True) -> Resources:
        res = cls(paths)
        if eager:
            res.warm()
        return res

    def warm(self) -> None:
        """Load everything now (otherwise each part loads on first use)."""
        _ = self.analyzer, self.actors, self.lexicon, self.gazetteer

    # Pickle by paths only: models are reloaded in the receiving process.
    def __getstate__(self) -> dict[str, Any]:
        return {"paths": self.paths}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.paths = state["paths"]

    @cached_property
    def lexicon(self) -> TriggerLexicon:
        from .extract.events import TriggerLexicon

        return TriggerLexicon.load(self.paths.lexicon)

    @cached_property
    def actors(self) -> ActorDictionary:
        from .extract.actors import ActorDictionary

        return ActorDictionary.load(self.paths.actors)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        from .gazetteer import Gazetteer

        return Gazetteer.load(self.paths.gazetteer_cache)

    @cached_property
    def analyzer(self) -> Analyzer:
        from .nlp import Analyzer, load_spacy

        return Analyzer(load_spacy(self.paths.spacy_model), self.sentence_holds_trigger)

    @cached_property
    def english_pos(self) -> dict[str, frozenset[str]]:
        """Lower-case English words by part of speech ("noun", "verb", "adj", "adv"): the WordNet
        lemmas and irregular forms the spaCy model's lemmatizer ships."""
        from spacy.strings import get_string_id

        lookups = self.analyzer.nlp.get_pipe("lemmatizer").lookups
        names = {get_string_id(p): p for p in ("noun", "verb", "adj", "adv")}
        out: dict[str, set[str]] = {}
        for table in ("lemma_index", "lemma_exc"):
            if table not in lookups.tables:
                continue
            for key, words in lookups.get_table(table).items():
                pos = names.get(key, str(key))
                out.setdefault(pos, set()).update(str(w) for w in words if "_" not in str(w))
        return {pos: frozenset(words) for pos, words in out.items()}

    @cached_property
    def english(self) -> English:
        """English words by part of speech, with regular inflections (built once: names in
        upper-case copy are told from words with it)."""
        from .extract.roles import English as _English

        return _English(self.english_pos)

    @cached_property
    def english_words(self) -> frozenset[str]:
        """Lower-case English words of every part of speech (see english_pos): what a person's
        name in upper-case copy is mostly not made of."""
        return self.english.all

    def sentence_holds_trigger(self, text: str) -> bool:
        """Whether a sentence gets the full parse: only when a trigger word of the lexicon is in it
        (a cheap regex test first, then the raw-text trigger match). Figures, dates, actors and
        places are found in unparsed sentences too."""
        from .extract.events import sentence_triggers
        from .nlp import Sentence

        lex = self.lexicon
        if not lex.sentence_may_hold_event(text):
            return False
        return bool(sentence_triggers(Sentence(index=0, start=0, end=len(text), text=text), lex))
