"""The fuzz harness of issue 17: hostile workbooks built from the shipped samples, and a runner that
holds every command to its contract (exit 0/1/2, one Chinese sentence, input untouched, no partial
output, no live formula, bounded time and memory).

    zipcraft.py   writing zip files byte by byte (odd entries, bombs, lying headers)
    sheetxml.py   editing the worksheet XML of a sample (cells, rows, merges, names)
    families.py   the seeded generators, one per failure family
    contract.py   running a command in a subprocess under limits and judging the run
    campaign.py   cases × commands, in parallel, with the figures

tests/test_fuzz.py runs a fixed seeded sample; benchmarks/fuzz.py runs the full campaign.
"""
