"""Problem messages in the reader's language.

campaignkit's problems carry a code and arguments (see
:mod:`campaignkit.i18n.catalogue`); their words come from the catalogue, in
simplified Chinese by default or in English. :func:`localise` words a
:class:`~campaignkit.i18n.catalogue.Phrase` in a language, and reads back the
few texts campaignkit receives as English words rather than codes (argparse's
usage errors, and the packages that do not give codes yet); any other text is
shown as written.

>>> from campaignkit.i18n.catalogue import Phrase, noun
>>> localise(Phrase("unknown-reference", {"what": noun("enterprise"), "key": "E0999"}))
"未知的企业 'E0999'"
>>> localise("the plugin's own words", "zh")
"the plugin's own words"
"""

from __future__ import annotations

from campaignkit.i18n.catalogue import LANGUAGES, Phrase, recognise

__all__ = ["LANGUAGES", "known", "localise"]


def localise(message: str | Phrase, lang: str = "zh") -> str:
    """``message`` in ``lang``: a phrase in that language; text as written, unless it is
    one of the few English texts the catalogue reads back (see
    :func:`~campaignkit.i18n.catalogue.recognise`)."""
    if isinstance(message, Phrase):
        return message.text(lang)
    if lang == "en":
        return message
    found = recognise(message)
    return message if found is None else found.text(lang)


def known(message: str) -> bool:
    """True if the catalogue reads ``message`` back as one of its codes."""
    return recognise(message) is not None
