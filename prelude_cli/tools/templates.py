"""The files `prelude init` writes, made from the defaults in `settings.py` and the words of
the casebook schema, so a new casebook documents every setting exactly as this prelude reads it.
"""

from __future__ import annotations

import re
import textwrap

from .. import FORMAT_VERSION
from ..book import schemas
from ..book.settings import (
    DEFAULT_DOMAINS,
    DEFAULT_DUE_SOON,
    DEFAULT_MARKING,
    DEFAULT_POLICY,
    DEFAULT_PREFIX,
    DEFAULT_PROGRAMME,
    DEFAULT_RANDOM_LENGTH,
    ID_ALPHABET,
)
from ..files.yamlio import DEFAULT_MAX_BYTES

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()/-]*[A-Za-z0-9.)]$")
_DEFAULT_NOTE = re.compile(r"\s*Default[^.]*\.$")


def _q(text: str) -> str:
    """A YAML scalar: plain when that is unambiguous, else single-quoted."""
    if _PLAIN.match(text) and text.lower() not in ("yes", "no", "on", "off", "true", "false",
                                                   "null", "y", "n"):
        return text
    return "'" + text.replace("'", "''") + "'"


def _about(*pointer: str) -> str:
    """A setting's description from the schema, without its 'Default ...' note."""
    node = schemas.schema("casebook")
    for part in pointer:
        node = node["properties"][part]
    return _DEFAULT_NOTE.sub("", node.get("description", node.get("title", "")))


def _wrap(lines: list[str]) -> list[str]:
    """Fold long comment lines at 96 columns, keeping their indentation."""
    out: list[str] = []
    for line in lines:
        stripped = line.lstrip(" ")
        if stripped.startswith("# ") and len(line) > 96:
            lead = line[: len(line) - len(stripped)] + "# "
            out += textwrap.wrap(stripped[2:], 96, initial_indent=lead, subsequent_indent=lead)
        else:
            out.append(line)
    return out


def casebook_yaml() -> str:
    """casebook.yaml with every setting present, at its default, and explained."""
    lines = [
        "# Settings of this Operation Prelude casebook. Every setting is shown at its default:",
        "# change what your force needs, then run `prelude validate`.",
        "",
        f"# {_about('format')}",
        f"format: {FORMAT_VERSION}",
        "",
        f"# {_about('programme')}",
        f"programme: {_q(DEFAULT_PROGRAMME)}",
        "",
        f"# {_about('protective_marking')}",
        "protective_marking:",
        f"  # {_about('protective_marking', 'marking')}",
        f"  marking: {DEFAULT_MARKING}",
        f"  # {_about('protective_marking', 'caveat')} For example:",
        "  # caveat: PERSONAL",
        "",
        f"# {_about('case_ids')}",
        "case_ids:",
        f"  # {_about('case_ids', 'prefix')}",
        f"  prefix: {_q(DEFAULT_PREFIX)}",
        f"  # {_about('case_ids', 'random_length')} Characters from {ID_ALPHABET}.",
        f"  random_length: {DEFAULT_RANDOM_LENGTH}",
        "",
        f"# {_about('review_policy')}",
        "review_policy:",
    ]
    for kind, interval in DEFAULT_POLICY.items():
        lines += [f"  # {_about('review_policy', kind)}", f"  {kind}: {interval}"]
    lines += [
        "",
        f"# {_about('due_soon')}",
        f"due_soon: {DEFAULT_DUE_SOON}",
        "",
        f"# {_about('needs')}",
        "# A force using the Justice Star or its own form changes the domains here; assessments",
        "# then score those domains.",
        "needs:",
        f"  # {_about('needs', 'scale')}",
        "  scale:",
        "    min: 1",
        "    max: 10",
        f"  # {_about('needs', 'domains')}",
        "  domains:",
    ]
    for d in DEFAULT_DOMAINS:
        lines += [f"    - id: {d.id}", f"      label: {_q(d.label)}"]
        if d.description:
            lines.append(f"      description: {_q(d.description)}")
    lines += [
        "",
        f"# {_about('limits')}",
        "limits:",
        f"  # {_about('limits', 'max_document_bytes')}",
        f"  max_document_bytes: {DEFAULT_MAX_BYTES}",
        "",
        f"# {_about('partners')}",
        "# None are configured: add one for each information-sharing agreement, for example",
        "# (docs/data-protection.md, Partner agreements):",
        "#",
        "# partners:",
        "#   - id: youth-justice",
        "#     name: Youth Justice Service",
        "#     agreement: {reference: ISA-YJ-2026, version: '1'}",
        "#     purposes: [joint case review]",
        "#     lawful_basis: DPA 2018 Part 3, s.35; Crime and Disorder Act 1998 s.115",
        "#     valid_from: '2026-04-01'",
        "#     valid_to: '2027-03-31'",
        "#     scope:",
        "#       age_bands: [under-18]",
        "#       included_only: true",
        "#       fields: [case.id, case.area, contact.date, contact.outcome, exit.route]",
        "partners: []",
    ]
    return "\n".join(_wrap(lines)) + "\n"


PROVIDERS_YAML = """\
# The directory of intervention providers that plans refer people to. These entries are
# fictional examples: replace them with your area's statutory and voluntary providers.
# A provider that stops taking referrals gets `active: false`; never delete one that plans
# refer to.
providers:
  - id: riverside-housing-advice
    name: Riverside Housing Advice
    category: housing
    area: Example Borough
    statutory: true
  - id: clearwater-drug-service
    name: Clearwater Drug and Alcohol Service
    category: substance-misuse
    statutory: true
  - id: money-matters
    name: Money Matters Debt Advice
    category: finance
    statutory: false
  - id: northgate-boxing-club
    name: Northgate Community Boxing Club
    category: enrichment
    statutory: false
  - id: pathways-college
    name: Pathways College Skills Centre
    category: education-training-employment
    statutory: true
  - id: safe-steps-mentoring
    name: Safe Steps Mentoring
    category: mentoring
    statutory: false
"""

README_MD = """\
# Operation Prelude casebook

One folder per case under `cases/`, named by its case reference. Case documents never hold a
name, date of birth, address or PNC number: those belong in `identities.yaml`, the identity
register, which git ignores and which must never be committed.

## Recording the work

Each step of the programme has a command; it checks the case as it would be and writes
nothing if that would leave an error. Add `--dry-run` to see the document first, or `--edit`
to finish it in your editor.

    prelude case new --officer "PC 4471 Hart" --area Slough --concern knife-crime \\
        --age-band under-18 --forum "SV tasking" --rationale "..." --approach-role youth-worker
    prelude contact add OP-XXXXXX --by "T. Mensah" --method in-person \\
        --purpose engage-and-explain --outcome engaged --all-messages
    prelude assess OP-XXXXXX --assessor "PC 4471 Hart" --from-file scores.yaml
    prelude plan agree OP-XXXXXX --agreed-by "PC 4471 Hart" --goal "Back into college"
    prelude case show OP-XXXXXX

`prelude --help` lists every command; each command's `--help` ends with an example.

## Checking and reviewing

    prelude validate                 # every document: YAML, schema, cross-document rules
    prelude fmt --check              # canonical layout, so diffs stay small
    prelude due-reviews --within 2w  # what is overdue or falls due soon

Commit one piece of work at a time. Contacts and assessments are one file each and ids are
random, so work recorded on two clones merges without conflicts.
"""

GITIGNORE_LINES = (
    "# the identity register: names and identifiers stay out of git",
    "identities.yaml",
    "identities.yaml.*",
    ".identities.yaml.*",
    ".prelude-cache/",
    "reports/",
    "exports/",
    "# dashboard extracts for prelude intake: they hold names and identifiers",
    "extracts/",
    "*.tmp",
)

SAMPLE_EXTRACT_PATH = "extracts/dashboard-2026-11.csv"
SAMPLE_EXTRACT = """\
Nominal ID,Rank,Harm score,Area,Extract date,Name
SVD-3101,1,948.5,Milton Keynes,2026-11-20,Zebedee Quillfeather
SVD-2004,2,901,Milton Keynes,2026-11-20,Ottoline Brackenridge
SVD-3102,3,877.25,Milton Keynes,2026-11-20,Peregrine Ashcombe
SVD-2011,4,850,Reading,2026-11-20,Lysander Thistlewood
SVD-3103,5,812,Slough,2026-11-20,Hermione Fallowfield
SVD-2017,6,790,Oxford,2026-11-20,Barnaby Wetherspoon
SVD-2005,7,744,Milton Keynes,2026-11-20,Cosmo Pendlebury
SVD-2008,8,702.5,Milton Keynes,2026-11-20,Isadora Merriweather
"""
"""The sample's fictional Serious Violence Dashboard extract, read as casebook.yaml's
`intake:` says (every name and id invented). `init --sample` writes it under `extracts/`,
which the casebook's .gitignore lists: an extract holds identifiers, so never commit one."""

SAMPLE_REGISTER = """\
# The identity register of the fictional sample: every name and identifier is invented.
# Real registers are never committed: identities.yaml is listed in .gitignore.
OP-G4CZVY:
  name: Ottoline Brackenridge
  dashboard_id: SVD-2004
OP-83ADME:
  name: Lysander Thistlewood
  dashboard_id: SVD-2011
OP-S0WF2J:
  name: Barnaby Wetherspoon
  dashboard_id: SVD-2017
OP-959KQ3:
  name: Cosmo Pendlebury
  dashboard_id: SVD-2005
OP-PGN0T7:
  name: Isadora Merriweather
  dashboard_id: SVD-2008
  police_references:
    - TVP-4471-2026
    - TVP-5180-2026
"""
"""The sample's fictional identity register: the extract's known people, by dashboard id."""

GITATTRIBUTES_LINES = ("*.yaml text eol=lf",)
