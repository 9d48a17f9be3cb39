"""Writes the small data files the spec corpus points at (run by hand: python3 make_fixtures.py).

IDX is MNIST's format: two zero bytes, the element type (0x08 = unsigned byte), the number of
dimensions, each dimension as a big-endian uint32, then the values.
"""
import gzip
import random
import struct

random.seed(0)


def idx_images(count, height, width):
    header = bytes([0, 0, 8, 3]) + struct.pack(">III", count, height, width)
    return header + bytes(random.randrange(256) for _ in range(count * height * width))


def idx_labels(count):
    return bytes([0, 0, 8, 1]) + struct.pack(">I", count) + bytes(random.randrange(10) for _ in range(count))


open("tiny-28x28-images-idx3-ubyte", "wb").write(idx_images(4, 28, 28))
open("tiny-labels-idx1-ubyte", "wb").write(idx_labels(4))
open("tiny-labels-3-idx1-ubyte", "wb").write(idx_labels(3))
with gzip.open("tiny-28x28-images-idx3-ubyte.gz", "wb") as f:
    f.write(idx_images(4, 28, 28))
with gzip.open("tiny-labels-idx1-ubyte.gz", "wb") as f:
    f.write(idx_labels(4))
# A gzip signature followed by an invalid deflate block.
open("damaged-idx3-ubyte.gz", "wb").write(b"\x1f\x8b\x08\x00" + bytes(6) + b"\xff\xff\xff\xff")
with open("tiny-4-features.csv", "w") as f:
    for row in range(5):
        f.write(f"{row % 3},0.1,0.2,0.3,0.4\n")
# Text for the text source: names one per line (vocabulary: "\n" and 8 letters), its held-out lines,
# a test text with a character the training text lacks (line 2, column 3), and bytes that are not UTF-8.
open("tiny-names.txt", "w").write("anna\nbob\nclara\ndenis\nella\nhanna\nelle\nbella\nhans\nle\n")
open("tiny-names-test.txt", "w").write("dana\nbozo\n")
open("tiny-names-invalid-utf8.txt", "wb").write(b"anna\nbo\xffb\n")
# A CSV file with a header row, for columns named by the spec: the class label "kind", then 4 features.
with open("tiny-named-columns.csv", "w") as f:
    f.write("kind,length,width,height,weight\n")
    for row in range(5):
        f.write(f"{row % 3},0.1,0.2,0.3,0.4\n")
