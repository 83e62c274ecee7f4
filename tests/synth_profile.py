"""Synthetic researcher profiles of any size, in the format of content/profile.txt
(docs/profile-format.md), for the tests and benchmarks: deterministic for a given
(papers, seed), so a large site can be rebuilt exactly without committing its profile.

    python tests/synth_profile.py 10000 > /tmp/big.txt
    python tests/synth_profile.py 10000 --seed 7 --out /tmp/big.txt

    from tests.synth_profile import synth_profile
    text = synth_profile(300, seed=3)

It mixes the variations the real format shows: an optional per-paper score prefix, dates
with and without a year, the "Code" flag, affiliations after " · ", non-ASCII author
names, and URLs inside abstracts. The sequence of random draws is fixed: changing the
order or number of `rng` calls changes every profile the tests build.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

DEFAULT_SEED = 1

CATEGORIES = ["CV", "CL", "LG", "AI", "ML", "GR", "NE", "RO", "IR", "SD"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FIRST = ["Ana", "João", "Tomáš", "Zoë", "Olivier", "Mei", "Siqi", "Dhruva",
         "Hyunjik", "Marta", "Nicolas", "Émilie", "Søren", "Aleksandr", "Chen",
         "Priya", "Kwame", "Yuki", "Ingrid", "Mateus"]
LAST = ["Eslami", "Carreira", "Kočiský", "Hénaff", "Garnelo", "Rezende",
        "Heess", "Müller", "Nakamura", "Okafor", "Lindqvist", "Zhang",
        "Srinivasan", "Rossi", "Dubois", "Kowalski", "Ngata", "Fernández"]
AFFIL = ["deepmind", "mila", "oxford", "mit", "stanford", "eth", "inria"]
WORDS = ["representation", "learning", "generative", "model", "neural", "scene",
         "inference", "video", "contrastive", "latent", "variable", "transformer",
         "benchmark", "robust", "multimodal", "diffusion", "policy", "agent",
         "reinforcement", "uncertainty", "segmentation", "implicit", "function",
         "meta-learning", "attention", "memory", "few-shot", "dataset", "evaluation",
         "structured", "probabilistic", "graphical", "message", "passing", "reasoning",
         "language", "vision", "audio", "geometry", "mesh"]
TITLE_WORDS = [word.capitalize() for word in WORDS]


def _sentence(rng: random.Random, n_min: int = 8, n_max: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(n_min, n_max))]
    return " ".join(words).capitalize() + "."


def _paper(rng: random.Random, index: int) -> str:
    """One paper entry: header line, title, blank, authors, blank, abstract."""
    score = f"{rng.uniform(20, 99):.1f}" if rng.random() < 0.05 else ""
    category = rng.choice(CATEGORIES)
    month = rng.choice(MONTHS)
    day = rng.randint(1, 28)
    # A year is drawn only for the dates that show one.
    date = f"{month} {day}" if rng.random() < 0.04 else f"{month} {day}, {rng.randint(2008, 2026)}"
    has_code = rng.random() < 0.2
    header = f"{score}{category}{date}{'Code' if has_code else ''}"
    title = ": ".join([
        " ".join(rng.choice(TITLE_WORDS) for _ in range(rng.randint(2, 4))),
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))),
    ]) + f" ({index})"
    authors = ", ".join(f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                        for _ in range(3)) + " et al."
    if rng.random() < 0.15:
        authors += " · " + ", ".join(rng.sample(AFFIL, rng.randint(1, 3)))
    abstract = " ".join(_sentence(rng) for _ in range(rng.randint(5, 12)))
    if has_code:
        abstract += f" Code: https://github.com/example/repo{index}"
    elif rng.random() < 0.05:
        abstract += f" See project video at https://youtu.be/v{index:07d} ."
    return f"{header}\n{title}\n\n{authors}\n\n{abstract}"


def synth_profile(papers: int, seed: int = DEFAULT_SEED) -> str:
    """The text of a profile of `papers` papers (no trailing newline), the same for the
    same (papers, seed)."""
    rng = random.Random(seed)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    head = [
        name, "", rng.choice(CATEGORIES),
        f"h-index{rng.randint(1, 200)}",
        f"{papers}papers",
        f"{rng.randint(0, 200000):,}citations",
        f"Novelty{rng.randint(0, 100)}%",
        f"AI Score{rng.randint(0, 100)}",
        "", f"{papers} Papers", "",
    ]
    body = "\n\n".join(_paper(rng, index) for index in range(papers))
    return "\n".join(head) + "\n" + body


def write_synth_profile(path: Path, papers: int, seed: int = DEFAULT_SEED) -> Path:
    """Write `synth_profile(papers, seed)` to `path` as UTF-8 with "\\n" line ends."""
    path.write_bytes(synth_profile(papers, seed).encode("utf-8"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default: {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    data = synth_profile(args.papers, args.seed).encode("utf-8")
    if args.out:
        args.out.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
