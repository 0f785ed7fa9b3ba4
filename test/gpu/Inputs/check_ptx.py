"""Splits `mars-run --emit=ptx` output into its kernels and runs ptxas on
each: PTX that ptxas rejects fails the test, on any machine (no GPU needed).

  mars-run --emit=ptx prog.mlir | check_ptx.py PTXAS ARCH
"""
import os
import re
import subprocess
import sys
import tempfile


def main():
    ptxas, arch = sys.argv[1], sys.argv[2]
    text = sys.stdin.read()
    parts = re.split(r"^// kernel of .*$", text, flags=re.M)[1:]
    if not parts:
        print("check_ptx: no kernels in the input")
        return 1
    rejected = 0
    with tempfile.TemporaryDirectory() as d:
        for i, part in enumerate(parts):
            path = os.path.join(d, f"kernel{i}.ptx")
            with open(path, "w") as f:
                f.write(part)
            proc = subprocess.run([ptxas, f"-arch={arch}", "-o", os.devnull,
                                   path], capture_output=True, text=True)
            if proc.returncode != 0:
                rejected += 1
                print(f"check_ptx: kernel {i} rejected:\n{proc.stderr}")
    print(f"check_ptx: {len(parts) - rejected} of {len(parts)} kernels "
          f"accepted by ptxas for {arch}")
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
