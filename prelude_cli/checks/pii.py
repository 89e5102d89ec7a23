"""Spotting personal data typed into free text: the `pii-in-text` rule's detectors.

Case documents are pseudonymous, but notes are written by busy people. These detectors look
for what should live only in the identity register: UK phone numbers, email addresses, UK
postcodes, NHS numbers (with a valid check digit), PNC ids, dates of birth, and the person's
own names. They say which kinds they found, never what: a finding is reported by field and
line, so the warning itself never repeats the personal data.

Tuned against the sample casebook: dates of events (`2026-01-09`), times (`6pm`), percentages,
officers' collar numbers (`PC 4471`) and course levels do not match.
"""

from __future__ import annotations

import re
from functools import lru_cache

KINDS: dict[str, str] = {
    "phone": "a phone number",
    "email": "an email address",
    "postcode": "a postcode",
    "nhs-number": "an NHS number",
    "police-reference": "a police reference",
    "date-of-birth": "a date of birth",
    "name": "the person's name",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A run that starts like a UK number (0 or +44) and holds digits, spaces, brackets, dashes;
# the digit count is checked after.
_PHONE = re.compile(r"(?<![\w/+.-])(?:\+\s?44|\(?0)[\d\s()-]{8,16}\d(?![\w/-])")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"
                       r"|(?i:\b[a-z]{1,2}[0-9][a-z0-9]? [0-9][a-z]{2}\b)")
_NHS = re.compile(r"(?<![\d/.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d/.-])")
_PNC = re.compile(r"\b[0-9]{2}/[0-9]{1,7}[A-Z]\b")
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:19|20)\d{{2}}\b)")
_DOB = re.compile(rf"(?i)\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born)(?![a-z])[^\n.;]{{0,15}}?{_DATE}")
_REVIEWED = re.compile(r"#\s*prelude:\s*reviewed\s*$")


def _phone(text: str) -> bool:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if m.group().lstrip("(").startswith("+"):
            rest = digits[2:].removeprefix("0")
            if len(rest) in (9, 10):
                return True
        elif len(digits) in (10, 11) and digits[1] != "0":
            return True
    return False


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 to 2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs(text: str) -> bool:
    return any(nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4))
               for m in _NHS.finditer(text))


def name_tokens(*names: str) -> tuple[str, ...]:
    """The words of a person's names worth looking for: three letters or more, once each."""
    seen: dict[str, None] = {}
    for name in names:
        for token in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", name):
            if len(token) >= 3:
                seen.setdefault(token.casefold(), None)
    return tuple(seen)


@lru_cache(maxsize=256)
def _names(tokens: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    return re.compile(rf"(?<![\w'’])(?:{words})(?![\w'’])", re.IGNORECASE)


_DIGIT = re.compile(r"\d")


def _has_digit(text: str) -> bool:
    """Whether `text` holds a digit. Most free text is ASCII, where ten substring searches
    cost a tenth of one scan by a regular expression; other text gets the expression, which
    knows every script's digits."""
    if not text.isascii():
        return _DIGIT.search(text) is not None
    return any(d in text for d in "0123456789")


def findings(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """The kinds of personal data `text` seems to hold (keys of KINDS), in KINDS order.

    Every detector but the email and name ones needs a digit: most text has none, and is
    let through after one cheap search (this runs on every free-text field of a casebook).
    """
    found = []
    digits = _has_digit(text)
    if digits and _phone(text):
        found.append("phone")
    if "@" in text and _EMAIL.search(text):
        found.append("email")
    if digits and _POSTCODE.search(text):
        found.append("postcode")
    if digits and _nhs(text):
        found.append("nhs-number")
    if digits and "/" in text and _PNC.search(text):
        found.append("police-reference")
    if digits and _DOB.search(text):
        found.append("date-of-birth")
    if names and _names(names).search(text):
        found.append("name")
    return found


def reviewed(raw: bytes | None, line: int) -> bool:
    """Whether someone marked the field at `line` as checked: `# prelude: reviewed` at the
    end of that line, or alone on the line just above it."""
    if raw is None or line < 1:
        return False
    lines = raw.decode("utf-8-sig", errors="replace").splitlines()
    if line <= len(lines) and _REVIEWED.search(lines[line - 1]):
        return True
    above = lines[line - 2].strip() if 2 <= line <= len(lines) + 1 else ""
    return above.startswith("#") and bool(_REVIEWED.search(above))


REVIEWED_MARK = "# prelude: reviewed"


def mark_reviewed(raw: bytes, lines: list[int]) -> bytes:
    """`raw` with the reviewed mark alone on the line above each of `lines` (1-based, the
    lines of the fields' keys), indented like them. A line of its own rather than a comment at
    the end of the key's line, which would fall inside a multi-line value."""
    text = raw.decode("utf-8")
    out = text.split("\n")
    for line in sorted(set(lines), reverse=True):
        if 1 <= line <= len(out):
            target = out[line - 1]
            indent = target[: len(target) - len(target.lstrip(" "))]
            out.insert(line - 1, f"{indent}{REVIEWED_MARK}")
    return "\n".join(out).encode("utf-8")
