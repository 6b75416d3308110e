"""Script rules: which characters are CJK, and where CJK text may break a line (kinsoku).

Text rules only: the CJK font that draws these characters is `glyphs.cjk`.
"""

from __future__ import annotations

import bisect

# Unicode blocks of the CJK scripts: Hangul, CJK radicals and punctuation, kana, Bopomofo, ideographs,
# compatibility and full-width forms. Sorted starts and ends, for bisect.
_BLOCKS = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FFF),
    (0x3000, 0x303F),
    (0x3040, 0x30FF),
    (0x3100, 0x31FF),
    (0x3200, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x1B000, 0x1B16F),
    (0x20000, 0x3134F),
)
_STARTS = [start for start, _ in _BLOCKS]


def is_cjk(ch: str) -> bool:
    """Whether a character belongs to a CJK script (ideographs, kana, Hangul, their punctuation and forms)."""
    code = ord(ch)
    if code < 0x1100:
        return False
    at = bisect.bisect_right(_STARTS, code) - 1
    return at >= 0 and code <= _BLOCKS[at][1]


def has_cjk(text: str) -> bool:
    """Whether any character of the text is CJK; most text is told apart without looking at each character (a
    regular expression of the CJK blocks would cost 5 ms to compile, every run)."""
    return not text.isascii() and max(text) >= "\u1100" and any(is_cjk(ch) for ch in text)


# The Japanese line-breaking rules (kinsoku): characters no line may start with, and none may end with.
NO_START = frozenset(
    "!%),.:;?]}¢°’”‰′″℃、。〃々〆〉》」』】〕〗〙〛〜゛゜ゝゞ・ーヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "！％），．：；？］｝｡｣､･ｰ"
)
NO_END = frozenset("([{£¥‘“〈《「『【〔〖〘〚（［｛｢￥＄")


def may_break_between(before: str, after: str) -> bool:
    """Whether a line may break between two characters without a hyphen because one of them is CJK.

    CJK text has no spaces between words: a line may end after any character,
    but not before closing punctuation, small kana or the long vowel mark, nor
    after an opening bracket.
    """
    return (is_cjk(before) or is_cjk(after)) and after not in NO_START and before not in NO_END
