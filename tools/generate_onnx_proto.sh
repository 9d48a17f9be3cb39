#!/bin/sh
# Generates Sources/ONNXSchema/onnx.pb.swift, the Swift types of ONNX's protobuf schema that
# `nnspec export --to onnx` writes models through. Run once, from the repository root, when the schema
# must change; the generated file is committed and nothing is generated at build time.
#
# Needs: protoc (apt-get install -y protobuf-compiler), protoc-gen-swift of apple/swift-protobuf 1.39.0
# (the version Package.swift names; PROTOC_GEN_SWIFT=path), and onnx.proto from `pip install onnx`
# (generated with onnx 1.23.2 and libprotoc 3.21.12; the proto2 file, as ONNX ships it).
set -eu
PLUGIN=${PROTOC_GEN_SWIFT:-/work/tools/swift-protobuf/.build/release/protoc-gen-swift}
PROTO_DIR=$(python3 -c "import onnx, os; print(os.path.dirname(onnx.__file__))")
echo "onnx $(python3 -c 'import onnx; print(onnx.__version__)'), $(protoc --version)"
protoc --plugin=protoc-gen-swift="$PLUGIN" --proto_path="$PROTO_DIR" \
    --swift_opt=Visibility=Public --swift_out=Sources/ONNXSchema onnx.proto
