#!/usr/bin/env bash
# Publishes the server and the bench tool in Release, then sends one device's very large sync to one
# server on 127.0.0.1 with its limits raised to fit, and prints the time end to end, the completing
# request's time and the server's peak memory; then the last part's latency of 50 x 100 syncs.
#   bench/big-sync.sh [--provider sqlite|postgres] [--parts 1000] [--records 1000] [--concurrency 4] [--repeat 1] [--keep-data]
# It is bench/run.sh with --big-sync: PostgreSQL is started the same way.
exec "$(cd "$(dirname "$0")" && pwd)/run.sh" --big-sync "$@"
