"""`make bench-postcodes`: the full-size postcode import, and postcode answers under load.

1. Writes a synthetic ONS Postcode Directory CSV (the sample's columns: pcds, dointr, doterm,
   oslaua, ctry, rgn, pcon, lat, long) of ROWS rows (default 2.7 million, the size of the
   real directory) to /tmp, never into the checkout, reused when it is already there.
2. Prepares the `make bench` data (150 groups, 650 constituencies) in its own PostgreSQL
   database, empties the postcode table and times `manage.py import_postcodes` on the file,
   then times it again (the idempotent re-import: nothing changes).
3. Serves production settings with 2 gunicorn workers, postcodes.io unreachable (so every
   answer comes from the table), and drives /near/?postcode=... with wrk without the page
   cache, beside an uncached group page measured the same way.

The real directory has about 55 columns where this file has 9: reading the real one costs more
CSV parsing per row; the writes are the same.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import (  # noqa: E402
    PYTHON,
    ROOT,
    ensure_wrk,
    load_test_env,
    measure,
    prepare_database,
    start_server,
    stop_server,
)

HEADER = "pcds,dointr,doterm,oslaua,ctry,rgn,pcon,lat,long\n"
FIRST_LETTERS = "ABCDEFGHIJKLMNOPRSTUWYZ"
SECOND_LETTERS = "ABCDEFGHKLMNOPQRSTUVWXY"
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# The answer measured: a Southampton postcode (Southampton Itchen, which the demo group covers).
MEASURED = "SO14 7LY"
MEASURED_ROW = f"{MEASURED},199606,,E06000045,E92000001,E12000008,E14001499,50.903950,-1.397790\n"


def postcodes(rows: int):
    """Distinct valid postcodes: outward codes AA1...ZY99, inward codes 0AA...9ZZ."""
    made = 0
    for first in FIRST_LETTERS:
        for second in SECOND_LETTERS:
            for district in range(1, 100):
                outward = f"{first}{second}{district}"
                for sector in range(10):
                    for a in INWARD_LETTERS:
                        for b in INWARD_LETTERS:
                            postcode = f"{outward} {sector}{a}{b}"
                            if postcode == MEASURED:
                                continue
                            yield postcode
                            made += 1
                            if made == rows:
                                return


def constituency_codes() -> list[str]:
    lookup = ROOT.parent / "shared" / "data" / "dfe_mp_lookup.csv"
    if lookup.exists():
        import csv

        with lookup.open(encoding="utf-8") as rows:
            return [row["pcon_code"] for row in csv.DictReader(rows)]
    return [f"E1409{number:04d}" for number in range(650)]  # generate_load_data's codes


def write_file(path: Path, rows: int) -> None:
    codes = constituency_codes()
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        out.write(MEASURED_ROW)
        for number, postcode in enumerate(postcodes(rows - 1)):
            terminated = "200812" if number % 20 == 0 else ""  # some withdrawn, as in life
            # Spread over Great Britain's box, evenly but not in postcode order.
            latitude = 50.0 + (number * 7919 % 850_000) / 100_000
            longitude = -6.0 + (number * 104_729 % 770_000) / 100_000
            out.write(
                f"{postcode},199606,{terminated},E06000045,E92000001,E12000008,"
                f"{codes[number % len(codes)]},{latitude:.6f},{longitude:.6f}\n"
            )


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    output = subprocess.run(
        cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return time.monotonic() - started, output.strip().splitlines()[0]


def time_import(args: argparse.Namespace, env: dict[str, str]) -> None:
    path = Path(tempfile.gettempdir()) / f"onspd-synthetic-{args.rows}.csv"
    if not path.exists():
        print(f"Writing {args.rows} rows to {path}...", flush=True)
        write_file(path, args.rows)
    print(f"{path}: {path.stat().st_size / 1e6:.0f} MB", flush=True)

    prepare_database(env, groups=150)
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.database, "-qc"]
        + ["TRUNCATE letters_postcode"],
        check=True,
    )
    command = [PYTHON, "manage.py", "import_postcodes", str(path)]
    first, first_summary = timed(command, env)
    print(f"import into an empty table: {first:.1f} s ({first_summary})", flush=True)
    again, again_summary = timed(command, env)
    print(f"the same file again: {again:.1f} s ({again_summary})", flush=True)
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.database, "-qc", "ANALYZE"],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database", default="sanctuary_bench_postcodes")
    parser.add_argument(
        "--measure-only", action="store_true", help="skip the import: the table is loaded"
    )
    parser.add_argument("--rounds", type=int, default=1, help="measure both pages this often")
    args = parser.parse_args()

    wrk = ensure_wrk()
    env = {**load_test_env(args.database), "GUNICORN_WORKERS": "2"}
    if not args.measure_only:
        time_import(args, env)

    server = start_server({**env, "PAGE_CACHE_ENABLED": "false"})
    try:
        results = [
            result
            for _ in range(args.rounds)
            for result in (
                measure(
                    wrk,
                    "postcode answer",
                    f"/near/?postcode={MEASURED.replace(' ', '+')}",
                    args.seconds,
                    args.connections,
                ),
                measure(
                    wrk, "group page", "/groups/load-group-000/", args.seconds, args.connections
                ),
            )
        ]
    finally:
        stop_server(server)
    print(
        f"\nWithout the page cache; 2 gunicorn workers; wrk {args.connections} connections, "
        f"{args.seconds}s; postcodes.io unreachable (answers from the table)"
    )
    print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for r in results:
        print(f"{r.name:<18}{r.rps:>9.1f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.errors:>8}")


if __name__ == "__main__":
    main()
