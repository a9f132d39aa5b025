#!/usr/bin/env python3
"""Builds the fixed English evaluation corpus for the text-embedding fidelity tool (issue 5) from the Debian
`fortunes` package (/usr/share/games/fortunes). Deterministic: the same package version gives the same file.

Selection rules, applied in this order:
  1. Files: every fortune database in the directory (names without an extension, sorted; the .dat index and the .u8
     copies are skipped; the offensive `off/` subdirectory is not read).
  2. Fortunes are the text between lines holding a single '%'. Fortunes with tab- or deeply space-indented lines
     (poems, dialogues, code, ASCII art) are skipped; attribution lines (starting with '--') are dropped.
  3. The remaining lines are joined with single spaces and split into sentences after '.', '!' or '?' followed by
     whitespace and an upper-case letter.
  4. A sentence is kept when it is 30..240 characters, has at least 6 words, starts with an upper-case letter,
     ends with '.', '!' or '?', is printable ASCII (no control characters) and has no '[', '{', '<' or '|' (markup).
  5. Duplicates (case- and whitespace-insensitive) are dropped, keeping the first; order is file order.
  6. At most MAX_SENTENCES are kept: when there are more, every k-th sentence is taken (k = ceil(n / MAX)).
  7. A second, disjoint file of calibration sentences for the compression tuner's cosine budget (`nnzip compress
     --min-mean-cosine`) takes every k-th sentence starting at k // 2 (never one of the evaluation sentences), so a
     model tuned on it is measured on the evaluation corpus with sentences it has not seen. Needs k >= 2.
  8. A third file, the frequency corpus for `nnzip compress --frequency-text` (how often `actscale:tables=true`
     counts each embedding row is looked up), takes every remaining candidate in order: all the sentences that are
     in neither of the first two files. Token frequencies counted on it are thus independent of the lines the tuner
     ranks and verifies settings on and of the evaluation corpus. The script checks that the three files are
     pairwise disjoint (by the de-duplication key of rule 5) before writing anything.

Usage: make_corpus.py [FORTUNES_DIR] [OUTPUT] [CALIBRATION_OUTPUT] [FREQUENCY_OUTPUT]
"""
import math
import os
import re
import sys

MAX_SENTENCES = 1200
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MARKUP = set("[{<|")


def fortunes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for block in re.split(r"^%\s*$", text, flags=re.MULTILINE):
        lines = [ln.rstrip() for ln in block.strip("\n").split("\n")]
        if any(ln.startswith("\t") or ln.startswith("    ") for ln in lines):
            continue
        kept = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("--")]
        if kept:
            yield " ".join(kept)


def keep(sentence):
    return (30 <= len(sentence) <= 240
            and len(sentence.split()) >= 6
            and sentence[0].isupper()
            and sentence[-1] in ".!?"
            and all(32 <= ord(c) < 127 for c in sentence)
            and not MARKUP.intersection(sentence))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/games/fortunes"
    corpus_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "corpus")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(corpus_dir, "fortunes-sentences.txt")
    calibration_out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(corpus_dir, "fortunes-calibration.txt")
    frequency_out = sys.argv[4] if len(sys.argv) > 4 else os.path.join(corpus_dir, "fortunes-frequency.txt")
    names = sorted(n for n in os.listdir(src) if "." not in n and os.path.isfile(os.path.join(src, n)))
    seen, sentences = set(), []
    for name in names:
        for fortune in fortunes(os.path.join(src, name)):
            for s in SPLIT.split(re.sub(r"\s+", " ", fortune).strip()):
                key = dedup_key(s)
                if keep(s) and key not in seen:
                    seen.add(key)
                    sentences.append(s)
    step = max(1, math.ceil(len(sentences) / MAX_SENTENCES))
    chosen = sentences[::step]
    if step < 2:
        write(out, chosen)
        print(f"{len(chosen)} sentences (of {len(sentences)} candidates from {len(names)} files) -> {out}")
        print("too few candidates for a disjoint calibration set; none written")
        return
    calibration = sentences[step // 2::step][:MAX_SENTENCES]
    used = {dedup_key(s) for s in chosen + calibration}
    frequency = [s for s in sentences if dedup_key(s) not in used]
    check_disjoint({out: chosen, calibration_out: calibration, frequency_out: frequency})
    write(out, chosen)
    print(f"{len(chosen)} sentences (of {len(sentences)} candidates from {len(names)} files) -> {out}")
    write(calibration_out, calibration)
    print(f"{len(calibration)} calibration sentences (disjoint from the corpus) -> {calibration_out}")
    write(frequency_out, frequency)
    print(f"{len(frequency)} frequency sentences (disjoint from both) -> {frequency_out}")


def dedup_key(sentence):
    """Rule 5's identity: case- and whitespace-insensitive."""
    return " ".join(sentence.lower().split())


def check_disjoint(files):
    """Fails (writing nothing) if any two of the files share a sentence by the de-duplication key."""
    keys = {path: {dedup_key(s) for s in lines} for path, lines in files.items()}
    paths = list(keys)
    for i, a in enumerate(paths):
        for b in paths[i + 1:]:
            common = keys[a] & keys[b]
            if common:
                sys.exit(f"{a} and {b} share {len(common)} sentence(s), e.g. {sorted(common)[0]!r}")


def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
