#!/usr/bin/env python3
"""Writes US census first names, as the PyPI package `names` ships them, as text files for the
`text` data source, and prints a bigram baseline in nats per character.

    pip install names
    python3 tools/make_names.py             # writes examples/data/names/{train,test}.txt

`names` (MIT licence) bundles the 1990 US Census "frequently occurring names" lists: dist.female.first
(4,275 names), dist.male.first (1,219) and dist.all.last (88,799 surnames). The first names only are
used (the surnames would make the file about 700 KB): lowercase, each once; every 10th name of the
alphabetical list is a test name, the others train. Each file is then shuffled (random.Random(0)),
so a window of the running text does not see the alphabetical neighbours of the names it predicts.
One name per line.

The baseline is what the example specs (unit: characters, which read the newline as the end of a
name) are measured against: a character bigram model, P(next | current) from the training text's
counts with add-one smoothing over the training vocabulary, scored on every character of the test
text after its first (each newline included), in nats per character.
"""
import math
import random
import os
import pathlib
from collections import Counter

import names

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "names"
TEST_EVERY = 10
SEED = 0


def census_first_names() -> list[str]:
    directory = os.path.dirname(names.__file__)
    found = set()
    for file in ("dist.female.first", "dist.male.first"):
        with open(os.path.join(directory, file), encoding="ascii") as lines:
            found.update(line.split()[0].lower() for line in lines if line.strip())
    return sorted(found)


def bigram_nats_per_character(train: str, test: str) -> float:
    vocabulary = sorted(set(train))
    pairs = Counter(zip(train, train[1:]))
    firsts = Counter(train[:-1])
    total = 0.0
    for current, following in zip(test, test[1:]):
        total -= math.log((pairs[current, following] + 1) / (firsts[current] + len(vocabulary)))
    return total / (len(test) - 1)


def main() -> None:
    all_names = census_first_names()
    test = [name for index, name in enumerate(all_names) if index % TEST_EVERY == TEST_EVERY - 1]
    train = [name for index, name in enumerate(all_names) if index % TEST_EVERY != TEST_EVERY - 1]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    texts = {}
    for split, chosen in (("train", train), ("test", test)):
        random.Random(SEED).shuffle(chosen)
        texts[split] = "".join(name + "\n" for name in chosen)
        path = OUTPUT / f"{split}.txt"
        path.write_text(texts[split], encoding="ascii")
        print(f"{path.relative_to(OUTPUT.parent.parent.parent)}: {len(chosen)} names, {len(texts[split])} characters,",
              f"longest {max(map(len, chosen))}")
    print(f"bigram baseline (add-one): {bigram_nats_per_character(texts['train'], texts['test']):.4f} nats per character on test.txt")


if __name__ == "__main__":
    main()
