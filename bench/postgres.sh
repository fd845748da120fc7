# Sourced by bench/run.sh and bench/big-sync.sh: start_bench_postgres OUT starts a PostgreSQL server of
# the bench's own in OUT/pg (from the machine's PostgreSQL binaries, as the postgres user when run as
# root), durable as in production (fsync, synchronous_commit on), stopped when the script exits, and
# sets BATCHSYNC_BENCH_POSTGRES to its connection string; unless BATCHSYNC_BENCH_POSTGRES already names
# a database to use.
start_bench_postgres() {
  out=$1
  if [ -n "${BATCHSYNC_BENCH_POSTGRES:-}" ]; then
    return
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  chmod 755 "$out"
  pg="$out/pg"
  mkdir -p "$pg"
  as_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$pg"; runuser -u postgres -- "$@"; else "$@"; fi; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$bin/initdb" -D "$pg/data" -A trust -U postgres >/dev/null
  printf "port = %s\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nmax_connections = 300\nshared_buffers = 512MB\n" "$port" "$pg" >> "$pg/data/postgresql.conf"
  as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w start >/dev/null
  trap 'as_pg "$bin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true' EXIT
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE batchsync_bench"
  BATCHSYNC_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=batchsync_bench;Maximum Pool Size=100"
}
