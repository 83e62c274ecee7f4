"""Facts about text that readers and pages share: the invisible characters a page must
not show as they are, and where the http(s) URLs in a text are."""

from __future__ import annotations

import re
import unicodedata

#: Characters the pages never show as they are (see `site.visible`): C0 and C1 control
#: characters except tab and newline, the bidirectional controls (embeddings, overrides,
#: isolates and the LRM, RLM and ALM marks), which reorder or hide the text around them,
#: and the Unicode noncharacters, which HTML forbids. Records and the JSON export keep them.
_INVISIBLE_CHARS = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
)
INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
#: The ASCII characters that are not invisible (printable ones and the tab), as bytes.
ASCII_VISIBLE = bytes(range(0x20, 0x7F)) + b"\t"
# A URL ends at whitespace, quotes, angle brackets and invisible characters.
_URL = re.compile(f"https?://[^\\s<>\"'`{_INVISIBLE_CHARS}]+", re.IGNORECASE)
_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_CODE_URL = re.compile(r"\bCode:\s*(https?://)", re.IGNORECASE)


def printable(line: str) -> str:
    """A source line safe to print under a message: each invisible character (see INVISIBLE)
    becomes U+FFFD, one for one, so the caret under the column still lines up."""
    return INVISIBLE.sub("\ufffd", line)


def visible(text: str) -> str:
    """Text as the pages show it: each invisible character (control characters, the
    bidirectional controls U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C, and
    noncharacters; see `INVISIBLE`) replaced by a marker such as `[U+202E]`.

    Why markers rather than isolating the text (`<bdi>`, `dir="auto"`) or dropping the
    characters: isolation keeps an override from reaching past its element, but inside it
    the text is still reordered or hidden, so a title can read differently from what the
    profile says; dropping them silently changes the text. A marker shows exactly what the
    profile holds, reorders nothing, and keeps the HTML valid (control characters and
    noncharacters are forbidden in HTML). The parser warns about such characters, and
    the records and the JSON export keep them as they are.
    """
    if text.isprintable():  # C-fast, and False for every invisible character
        return text
    return INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


_TRAILING = ".,;:!?'\")]"  # what `_trim_url` may drop from the end of a URL


def _trim_url(url: str) -> str:
    """Drop trailing sentence punctuation and unbalanced closing brackets from a URL."""
    if url and url[-1] not in _TRAILING:  # most URLs: nothing to drop
        return url
    opened = {")": url.count("("), "]": url.count("[")}
    closed = {")": url.count(")"), "]": url.count("]")}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in closed and closed[last] > opened[last]:
            closed[last] -= 1
        elif last not in ".,;:!?'\"":
            break
        end -= 1
    return url[:end]


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each http(s) URL in text, trailing punctuation excluded."""
    return _scan_urls(text)[0]


def abstract_links(text: str) -> tuple[tuple[str, ...], str | None]:
    """An abstract's links (its URLs, each once, in order) and its code URL (the URL of
    its first `Code: URL`, if that is one of its URLs)."""
    spans, code = _scan_urls(text)
    if not spans:  # most abstracts
        return (), None
    links = tuple(dict.fromkeys([text[start:end] for start, end in spans]))
    for start, end in spans:
        if start == code:
            return links, text[start:end]
    return links, None


def _scan_urls(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Where text's URLs are, and where the URL of its first `Code: URL` starts.

    The URLs are the matches of `_URL.finditer(text)`, trimmed (`_trim_url`) and dropped
    if nothing is left after the scheme; the `Code: URL` is `_CODE_URL.search(text)`, and
    its URL starts at the start of its group 1 (None when there is no match). Both
    patterns are case-insensitive, which makes re try them at every position of a long
    abstract; but every match holds a scheme ('http://' or 'https://'), so this goes from
    '://' to '://' with str.find and looks only around each: the same, many times faster.
    """
    spans: list[tuple[int, int]] = []
    code: int | None = None
    resume = 0  # the end of the previous URL: a scheme before it is inside it
    # (Looking for a colon first: memchr runs many times faster than a search for '://',
    # and most abstracts have no colon, or only one just before their URL.)
    colon = text.find(":")
    if colon != -1:
        colon = text.find("://", colon)
    while colon != -1:
        # 'https' ends right before the '://', or 'http' does (both cannot).
        if colon >= 5 and _SCHEME.match(text, colon - 5):
            start = colon - 5
        elif colon >= 4 and _SCHEME.match(text, colon - 4):
            start = colon - 4
        else:
            start = -1
        if start >= 0:
            if code is None and _after_code_label(text, start):
                code = start
            # The next URL is at the first scheme after the previous one that a URL
            # character follows.
            match = _URL.match(text, start) if start >= resume else None
            if match is not None:
                resume = match.end()
                url = _trim_url(match.group())
                if len(url) > colon - start + 3:
                    spans.append((start, start + len(url)))
        colon = text.find("://", colon + 3)
    return spans, code


def _after_code_label(text: str, scheme: int) -> bool:
    """Whether `Code:` and whitespace come right before the scheme starting at `scheme`:
    a match of _CODE_URL whose group 1 starts there."""
    if scheme == 0 or not (text[scheme - 1] == ":" or text[scheme - 1].isspace()):
        return False  # nor whitespace nor a colon right before: '(https://', '=https://'
    # Where the run of whitespace before the scheme starts: looked for in a window that
    # doubles while it holds only whitespace (linear, however long the run).
    size = 64
    while True:
        window = max(0, scheme - size)
        label_end = window + len(text[window:scheme].rstrip())
        if label_end > window or window == 0:
            break
        size *= 2
    return (
        label_end >= 5
        and text[label_end - 1] == ":"
        and _CODE_URL.match(text, label_end - 5) is not None
    )


def name_key(name: str) -> str:
    """Compare names ignoring accents, case, dots and spacing: 'S.M. Ali Eslami'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\W_]+", "", plain.casefold())
