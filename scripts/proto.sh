#!/usr/bin/env bash
# Generates the TypeScript (ts-proto) and Ruby (grpc_tools_ruby_protoc) code of
# proto/ into the two directories given.   proto.sh TS_OUT RUBY_OUT
set -euo pipefail
cd "$(dirname "$0")/.."
ts_out=${1:?ts out}; rb_out=${2:?ruby out}
opts=outputServices=grpc-js,esModuleInterop=true,useDate=true,env=node,forceLong=number,useOptionals=none
protos=$(find proto -name '*.proto' | sort)
rm -rf "$ts_out" "$rb_out"; mkdir -p "$ts_out" "$rb_out"
protoc -I proto -I /usr/include --plugin=protoc-gen-ts_proto=node_modules/.bin/protoc-gen-ts_proto \
  --ts_proto_out="$ts_out" --ts_proto_opt="$opts" $protos
grpc_tools_ruby_protoc -I proto -I /usr/include --ruby_out="$rb_out" --grpc_out="$rb_out" $protos
