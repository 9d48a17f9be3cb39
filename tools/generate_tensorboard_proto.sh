#!/usr/bin/env bash
# Generates Sources/TensorBoardSchema/*.pb.swift: the Swift types of TensorBoard's Event and Summary
# protos and their imports, which `nnspec train --tensorboard` writes through swift-protobuf.
#
#   tools/generate_tensorboard_proto.sh [PROTOC_GEN_SWIFT]
#
# Needs `pip install tensorboard` (its wheel holds the compiled protos, tensorboard/compat/proto/*_pb2.py,
# not the .proto text: their file descriptors are read from there into a descriptor set), protoc
# (`apt-get install -y protobuf-compiler`) and protoc-gen-swift of apple/swift-protobuf 1.39.0
# (`swift build -c release --product protoc-gen-swift` in a checkout of it). Run once; the output is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin=${1:-/work/tools/swift-protobuf/.build/release/protoc-gen-swift}
[ -x "$plugin" ] || { echo "no executable protoc-gen-swift at $plugin: pass its path" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# event.proto and everything it imports, dependencies first, as one FileDescriptorSet.
python3 - "$work/tensorboard.desc" <<'PY'
import sys
from google.protobuf import descriptor_pb2
from tensorboard.compat.proto import event_pb2

files, seen = descriptor_pb2.FileDescriptorSet(), set()
def add(descriptor):
    for dependency in descriptor.dependencies:
        add(dependency)
    if descriptor.name not in seen:
        seen.add(descriptor.name)
        descriptor.CopyToProto(files.file.add())
add(event_pb2.DESCRIPTOR)
open(sys.argv[1], "wb").write(files.SerializeToString())
print("\n".join(file.name for file in files.file))
PY

names=$(python3 -c "
from google.protobuf import descriptor_pb2
s = descriptor_pb2.FileDescriptorSet(); s.ParseFromString(open('$work/tensorboard.desc', 'rb').read())
print(' '.join(f.name for f in s.file))")
out=Sources/TensorBoardSchema
rm -f "$out"/*.pb.swift
# Public types (the tests and NNRun use them); one file per proto, named after it.
protoc --plugin=protoc-gen-swift="$plugin" --descriptor_set_in="$work/tensorboard.desc" \
  --swift_out="$out" --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath $names
ls "$out"
