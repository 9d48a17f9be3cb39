#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora, one folder per target under OUT, from the repository's own
specs, data files and safetensors files (and small files of every IDX type and safetensors dtype
made here), in each target's input format: a mode byte, then the payload (see Fuzz/Sources).

    python3 Fuzz/make-corpus.py OUT
"""
import gzip
import hashlib
import json
import math
import pathlib
import struct
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
LARGEST_SEED = 64 << 10  # larger files slow every execution that mutates them
GZIP_MAGIC = b"\x1f\x8b"

# Data-reader mode bits (Fuzz/Sources/FuzzSupport/DataFileInput.swift, FuzzCSV.swift).
COMPRESS, GZ_NAME, CSV_HEADER, CSV_SEMICOLON = 1, 2, 4, 1 << 3
# Safetensors mode bit (SafetensorsFraming.swift): header JSON, NUL, data; the length is put in front.
FRAMED = 1


def repository_files(*patterns):
    """Files under specs/, examples/ and Tests/ matching any pattern, small enough to seed."""
    found = set()
    for folder in ("specs", "examples", "Tests"):
        for pattern in patterns:
            found.update(p for p in (ROOT / folder).rglob(pattern) if p.is_file() and p.stat().st_size <= LARGEST_SEED)
    return sorted(found)


def idx_file(type_code, fmt, dimensions, values):
    header = bytes([0, 0, type_code, len(dimensions)]) + b"".join(struct.pack(">I", d) for d in dimensions)
    return header + b"".join(struct.pack(">" + fmt, v) for v in values)


def generated_idx_files():
    """One small file of every IDX element type."""
    types = [(0x08, "B", [0, 1, 255]), (0x09, "b", [-128, 0, 127]), (0x0B, "h", [-32768, 7, 32767]),
             (0x0C, "i", [-2**31, 0, 2**31 - 1]), (0x0D, "f", [-1.5, 0.0, 3.25]), (0x0E, "d", [-2.5, 1e300, 0.125])]
    return [idx_file(code, fmt, [3], values) for code, fmt, values in types] + [idx_file(0x08, "B", [2, 2, 2], range(8))]


def safetensors_file(tensors, metadata):
    """tensors: (name, dtype, shape, raw bytes) in data order."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def generated_safetensors_files():
    """Every dtype the reader takes, a scalar, an empty tensor and metadata."""
    tensors = [("f64", "F64", [2], struct.pack("<2d", 1.5, -0.0)), ("f32", "F32", [2], struct.pack("<2f", 2.5, 1e-40)),
               ("f16", "F16", [2], bytes.fromhex("003c00fc")), ("bf16", "BF16", [2], bytes.fromhex("803fc07f")),
               ("i64", "I64", [1], struct.pack("<q", -2**62)), ("i32", "I32", [1], struct.pack("<i", 7)),
               ("i16", "I16", [1], struct.pack("<h", -3)), ("i8", "I8", [1], struct.pack("<b", -1)),
               ("u8", "U8", [1], b"\xff"), ("bool", "BOOL", [2], b"\x00\x01"),
               ("scalar", "F32", [], struct.pack("<f", 4.0)), ("empty", "F32", [0, 3], b"")]
    return [safetensors_file(tensors, {"format": "pt"}), safetensors_file(tensors[:1], {})]


def checkpoint_files():
    """Checkpoints of Fuzz/checkpoint-network.yaml as nnspec writes them (Sources/NNRun/Training/Checkpoint.swift):
    before the first step (no optimizer state yet) and after six Adam steps."""
    parameters = [("fc1.weight", [6, 4]), ("fc1.bias", [6]), ("fc2.weight", [3, 6]), ("fc2.bias", [3])]

    def values(count, scale, lowest=-3):
        return struct.pack(f"<{count}f", *((i % 7 + lowest) * scale for i in range(count)))

    model = [(f"model.{name}", "F32", shape, values(math.prod(shape), 0.1)) for name, shape in parameters]
    moments = [(f"optimizer.{index}.step", "F32", [], struct.pack("<f", 6.0)) for index in range(len(parameters))]
    moments += [(f"optimizer.{index}.{buffer}", "F32", shape, values(math.prod(shape), scale, lowest))
                for index, (_, shape) in enumerate(parameters)
                for buffer, scale, lowest in (("exp_avg", 0.01, -3), ("exp_avg_sq", 0.001, 0))]
    metadata = {"nnspec_checkpoint": "2", "optimizer": "Adam", "seed": "7", "batch_size": "4", "threads": "1",
                "rng.drop": "1 2 3 4"}

    def checkpoint(tensors, position):
        """With the CRC-32 of the data section (the tensors' bytes in order), as format 2 has it."""
        checksum = "%08x" % zlib.crc32(b"".join(raw for _, _, _, raw in tensors))
        return safetensors_file(tensors, dict(metadata, tensors_crc32=checksum, **position))

    return [checkpoint(model, dict(epoch="0", batch="0", step="0", optimizer_steps="0", lr="0.01", scheduler_last_epoch="0")),
            checkpoint(model + moments, dict(epoch="1", batch="2", step="6", optimizer_steps="6", lr="0.005",
                                             scheduler_last_epoch="1"))]


def framed(file):
    """`file` as FRAMED input: header JSON, NUL, data (None when its length prefix is not consistent)."""
    if len(file) < 8:
        return None
    length = struct.unpack("<Q", file[:8])[0]
    if length > len(file) - 8:
        return None
    return bytes([FRAMED]) + file[8:8 + length] + b"\0" + file[8 + length:]


def safetensors_seeds(files):
    for file in files:
        yield bytes([0]) + file
        if (seed := framed(file)) is not None:
            yield seed


def first_lines(text, count=12):
    return b"".join(text.splitlines(keepends=True)[:count])


def corpora():
    specs = repository_files("*.yaml", "*.yml") + [ROOT / "Fuzz/checkpoint-network.yaml"]
    yield "FuzzSpec", (p.read_bytes() for p in specs)

    def idx_seeds():
        for path in repository_files("*ubyte*"):
            data = path.read_bytes()
            yield bytes([GZ_NAME if data.startswith(GZIP_MAGIC) else 0]) + data
            if not data.startswith(GZIP_MAGIC):
                yield bytes([COMPRESS]) + data
        for data in generated_idx_files():
            yield bytes([0]) + data
            yield bytes([COMPRESS | GZ_NAME]) + data
            yield bytes([0]) + gzip.compress(data, mtime=0)
    yield "FuzzIDX", idx_seeds()

    def csv_seeds():
        for path in repository_files("*.csv"):
            text = first_lines(path.read_bytes())
            has_header = not text[:1].strip(b"-+.0123456789")
            header = CSV_HEADER if has_header else 0
            yield bytes([header]) + text
            yield bytes([header | COMPRESS]) + text
            yield bytes([header | CSV_SEMICOLON]) + text.replace(b",", b";")
    yield "FuzzCSV", csv_seeds()

    yield "FuzzSafetensors", safetensors_seeds(
        [p.read_bytes() for p in repository_files("*.safetensors")] + generated_safetensors_files())
    yield "FuzzCheckpoint", safetensors_seeds(checkpoint_files())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    for target, seeds in corpora():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        count = 0
        for seed in seeds:
            (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
            count += 1
        print(f"{target}: {count} seeds in {folder}")


if __name__ == "__main__":
    main()
