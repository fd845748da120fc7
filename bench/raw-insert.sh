#!/usr/bin/env bash
# Raw insert ceiling: what this machine's SQLite can insert of location rows keyed for dedup on
# (device_id, timestamp, content_hash), with the server writer's pragmas (WAL, synchronous=FULL,
# 16 KiB pages), all rows in one transaction through one prepared statement bound by position.
# The server's insert path is measured against it. Four table shapes: the server's rows in a WITHOUT
# ROWID table clustered on the dedup key (ON CONFLICT DO NOTHING), the server's rowid table with a
# unique index on the key, that table with its ids from an AUTOINCREMENT sequence as it had them
# before, and that table as it was before its field columns were dropped.
# Inputs are made before timing; only the inserts and the COMMIT are timed.
#   bench/raw-insert.sh [--records N] [--devices N] [--shape without-rowid|rowid-unique|autoincrement-rowid-unique|typed-rowid-unique|all] [--rounds K] [--ado]
# --ado also runs each shape with ADO.NET parameters instead of sqlite3_bind_* on the handle.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish "$root/bench/BatchSync.RawInsert" -c Release -o "$out" --nologo -v quiet
dotnet "$out/BatchSync.RawInsert.dll" "$@"
