#!/usr/bin/env bash
# Regenerates Sources/Experiments/TensorBoard/tensorboard_event.pb.swift from
# Scripts/proto/tensorboard_event.proto (the subset of TensorBoard's event format that the
# TensorBoard writer and reader use). The generated file is committed, so building and testing
# the package never needs protoc; run this only after changing the .proto.
#
# Usage (from anywhere):
#
#     Scripts/generate_tensorboard_proto.sh [PATH_TO_protoc-gen-swift]
#
# Needs:
#   - protoc: a `protoc` on PATH, or else Python's grpcio-tools (`pip install grpcio-tools`),
#     run as `python3 -m grpc_tools.protoc`.
#   - protoc-gen-swift of the same swift-protobuf version as the package resolves (see
#     Package.resolved), given as the first argument, or $PROTOC_GEN_SWIFT, or on PATH. To build
#     it: clone apple/swift-protobuf at that tag, then
#     `swift build -c release --product protoc-gen-swift` (it lands in .build/release/).
#
# The Swift code is generated with internal visibility (the public API is the hand-written
# TensorBoardWriter and TensorBoardReader). protoc-gen-swift puts a `// swift-format-ignore-file`
# line in the file's header comment, so `swift format lint --strict` skips the file; the script
# checks that the line is there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto_dir="$root/Scripts/proto"
proto_file="tensorboard_event.proto"
out_dir="$root/Sources/Experiments/TensorBoard"
out_file="$out_dir/tensorboard_event.pb.swift"

plugin="${1:-${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}}"
if [[ -z "$plugin" || ! -x "$plugin" ]]; then
  echo "error: protoc-gen-swift not found; pass its path or set PROTOC_GEN_SWIFT" >&2
  exit 1
fi

if command -v protoc >/dev/null 2>&1; then
  protoc=(protoc)
elif python3 -c "import grpc_tools" >/dev/null 2>&1; then
  protoc=(python3 -m grpc_tools.protoc)
else
  echo "error: neither protoc nor Python's grpcio-tools (pip install grpcio-tools) found" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"${protoc[@]}" \
  --plugin="protoc-gen-swift=$plugin" \
  --proto_path="$proto_dir" \
  --swift_out="$tmp" \
  --swift_opt=Visibility=Internal \
  "$proto_dir/$proto_file"

generated="$tmp/tensorboard_event.pb.swift"
if ! head -n 20 "$generated" | grep -qx '// swift-format-ignore-file'; then
  echo "error: the generated file has no '// swift-format-ignore-file' line in its header" >&2
  exit 1
fi
cp "$generated" "$out_file"

echo "wrote $out_file ($("$plugin" --version))"
